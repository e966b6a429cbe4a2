// Compares koffi declarations with the compiler-derived golden layout (native/layout/golden.json).
import type { TypeObject } from 'koffi';
import { ANONYMOUS_MEMBERS } from './types.js';

export interface GoldenStruct {
  size: number;
  align: number;
  fields: Record<string, number>;
}

export interface Golden {
  structs: Record<string, GoldenStruct>;
}

/** Field offsets named as C's offsetof designators: anonymous members transparent, embedded structs dotted. */
export function flattenFields(
  type: TypeObject,
  prefix = '',
  base = 0,
  out: Record<string, number> = {},
): Record<string, number> {
  for (const member of Object.values(type.members ?? {}) as { name: string; type: TypeObject; offset: number }[]) {
    const offset = base + member.offset;
    const t = member.type;
    const composite = t.primitive === 'Record' || t.primitive === 'Union';
    if (ANONYMOUS_MEMBERS.has(member.name) && composite) {
      flattenFields(t, prefix, offset, out);
      continue;
    }
    const name = prefix + member.name;
    out[name] = offset;
    if (composite) flattenFields(t, `${name}.`, offset, out);
  }
  return out;
}

/** Every difference between a koffi struct and its golden entry, in words; empty when they agree. */
export function compareLayout(name: string, type: TypeObject, golden: GoldenStruct | undefined): string[] {
  if (!golden) return [`${name}: not in the golden file`];
  const problems: string[] = [];
  if (type.size !== golden.size) problems.push(`${name}: size ${type.size}, golden ${golden.size}`);
  if (type.alignment !== golden.align) problems.push(`${name}: alignment ${type.alignment}, golden ${golden.align}`);
  const ours = flattenFields(type);
  for (const [field, offset] of Object.entries(golden.fields)) {
    if (!(field in ours)) problems.push(`${name}.${field}: missing (golden offset ${offset})`);
    else if (ours[field] !== offset) problems.push(`${name}.${field}: offset ${ours[field]}, golden ${offset}`);
  }
  for (const field of Object.keys(ours)) {
    if (!(field in golden.fields)) problems.push(`${name}.${field}: not in the golden file`);
  }
  return problems;
}
