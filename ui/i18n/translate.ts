// The public pages' translator: the same JSON files and {{placeholder}} syntax as i18next, without
// shipping i18next to a phone on 2G (about 13 KB compressed, most of the form's script budget).
// The server and the desk use i18next itself; the public texts use no plurals or formatting.
import type { Namespaces, Translate } from './index.ts';

export function createTranslate(resources: Namespaces, defaultNs = 'report'): Translate {
  return (key, vars = {}) => {
    const [ns, path] = key.includes(':') ? (key.split(':', 2) as [string, string]) : [defaultNs, key];
    let value: unknown = resources[ns];
    for (const part of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (typeof value !== 'string') return typeof vars.defaultValue === 'string' ? vars.defaultValue : key;
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}
