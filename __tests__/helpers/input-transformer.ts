/**
 * EventBridge's input transformer: each `<name>` of the template becomes the value at its JSON
 * path in the event. Inside a JSON string the value's text goes in (escaped); outside one, the
 * value goes in as JSON (a string quoted), which is why templates leave those placeholders bare.
 */
export function renderTemplate(template: string, paths: Readonly<Record<string, string>>, event: unknown): unknown {
  const valueAt = (path: string) => path.slice(2).split(".").reduce<any>((node, key) => node?.[key], event);
  let inString = false;
  let filled = "";
  for (let i = 0; i < template.length; i += 1) {
    const char = template[i];
    const placeholder = /^<([A-Za-z0-9_]+)>/.exec(template.slice(i));
    if (placeholder && paths[placeholder[1]] !== undefined) {
      const value = valueAt(paths[placeholder[1]]);
      filled += inString ? JSON.stringify(String(value)).slice(1, -1) : JSON.stringify(value);
      i += placeholder[0].length - 1;
      continue;
    }
    if (char === '"' && template[i - 1] !== "\\") inString = !inString;
    filled += char;
  }
  return JSON.parse(filled);
}
