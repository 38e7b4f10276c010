/** The built command: `node dist/cli/bin.js <args>` runs the CLI with no TypeScript tooling (cli/survey-live.js runs the source). */
import { run } from './main.js';

process.exitCode = await run(process.argv.slice(2));
