/**
 * Fills `{name}` in a message with `params.name`. No dictionary here, so a client component can import it without
 * shipping the catalogue: it gets its section of messages as a prop from the server component that renders it.
 */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
