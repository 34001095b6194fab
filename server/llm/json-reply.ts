/**
 * A model's reply as JSON: trimmed, with the Markdown code fence that servers in json_object mode sometimes
 * still wrap around the object removed. Empty and unparsable replies are told apart (both are retried once
 * by the callers, and reported with their own reason).
 */
export function parseJsonReply(content: string): { ok: true; json: unknown } | { ok: false; problem: 'malformed_output' | 'empty_output' } {
  let text = content.trim();
  if (text === '') return { ok: false, problem: 'empty_output' };
  const fenced = /^```[a-zA-Z]*\n([\s\S]*)\n```$/.exec(text);
  if (fenced) text = fenced[1]!.trim();
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'malformed_output' };
  }
}
