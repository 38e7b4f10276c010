/** Loads survey definitions from SURVEYS_FILE (JSON or YAML): a list, or `{ surveys: [...] }`. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type Survey, surveySchema } from '../shared/schemas.js';

// The shape is picked before parsing: a union would report any bad field as "Invalid input" at the root.
const fileSchema = (data: unknown) =>
  Array.isArray(data) ? z.array(surveySchema) : z.object({ surveys: z.array(surveySchema) }).transform((file) => file.surveys);

export async function loadSurveysFile(path: string): Promise<Survey[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`SURVEYS_FILE: cannot read ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new Error(`SURVEYS_FILE: ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const parsed = fileSchema(data).safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((issue) => `  - ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`SURVEYS_FILE: ${path} has invalid surveys:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
