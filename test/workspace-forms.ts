// The workspace editor's form as a browser sends it: every field present, a few of them set.
import { EMPTY_FORM } from '../src/admin/post-form.js';

export function editorFields(fields: Record<string, string>): Record<string, string> {
  return { ...EMPTY_FORM, intent: 'save', ...fields };
}
