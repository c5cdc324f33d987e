/**
 * What 「+ 添加」 puts in a list of the inspector. A journey's 触达上限 needs an id (上限名称: lower-case
 * letters, digits, -), which a marketer had to invent before the cap could be saved — 请填写「上限名称」,
 * and a Chinese name was refused (walk20). A new cap comes with a free one (cap-1, cap-2…); the
 * designer shows its 说明, never its id, and the id can still be changed.
 */
export function newArrayItem(path: string, items: readonly unknown[]): Record<string, unknown> {
  if (path !== 'caps') return {};
  const taken = new Set(items.map((c) => (c && typeof c === 'object' ? String((c as { id?: unknown }).id ?? '') : '')));
  let n = items.length + 1;
  while (taken.has(`cap-${n}`)) n++;
  return { id: `cap-${n}` };
}
