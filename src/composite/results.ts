// Reading a backend tool's result the way ToolHive does: the step's output is structuredContent
// when it is an object, else the content array as a map (conversion.ContentArrayToMap); a failed
// result's message is its first text, else an error/message/text field.
import type { ContentItem, ToolCallResult } from './host.js';

/** text, text_1, …; image_0, image_1, …; resource, resource_1, … (audio and links are left out). */
export function contentToMap(content: readonly ContentItem[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const counts = { text: 0, image: 0, resource: 0 };
  for (const item of content ?? []) {
    if (item.type === 'text') {
      out[counts.text === 0 ? 'text' : `text_${counts.text}`] = item.text ?? '';
      counts.text++;
    } else if (item.type === 'image') {
      out[`image_${counts.image++}`] = item.data ?? '';
    } else if (item.type === 'resource') {
      out[counts.resource === 0 ? 'resource' : `resource_${counts.resource}`] = item.resource?.text || item.resource?.blob || '';
      counts.resource++;
    }
  }
  return out;
}

export function outputOf(result: ToolCallResult): Record<string, unknown> {
  const structured = result.structuredContent;
  if (typeof structured === 'object' && structured !== null && !Array.isArray(structured)) return structured as Record<string, unknown>;
  return contentToMap(result.content);
}

export function errorMessageOf(result: ToolCallResult): string {
  const text = result.content?.find((c) => c.type === 'text' && typeof c.text === 'string' && c.text !== '')?.text;
  if (text !== undefined) return text;
  const structured = result.structuredContent;
  if (typeof structured === 'object' && structured !== null) {
    for (const key of ['error', 'message', 'text']) {
      const value = (structured as Record<string, unknown>)[key];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return 'tool execution error';
}
