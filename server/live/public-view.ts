/** What leaves the server for widgets and read-token holders: nothing that identifies a respondent. */
import type { TextAnswer } from '../../shared/schemas.js';
import type { StoredText } from '../store/response-store.js';

export function toPublicText(text: StoredText): TextAnswer {
  // Built field by field (not by spreading) so a field added to StoredText never leaks by accident.
  return { id: text.id, surveyId: text.surveyId, areaId: text.areaId, questionId: text.questionId, text: text.text, receivedAt: text.receivedAt };
}
