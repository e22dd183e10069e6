// Encodes fields as multipart/form-data the way a browser submits a plain HTML form.
export async function multipart(fields: Record<string, string>, files: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, value] of Object.entries(files)) form.append(name, new Blob([value], { type: 'text/plain' }), `${name}.txt`);
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    headers: { 'content-type': response.headers.get('content-type')! },
  };
}

/** A ReportForm as the fields a browser would post (checkboxes only when ticked). */
export function formFields(form: object, extra: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    if (value === true) fields[name] = 'on';
    else if (typeof value === 'string') fields[name] = value;
  }
  return { ...fields, ...extra };
}
