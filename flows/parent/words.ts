// Small pieces of wording the catalogs share.

/** "Asha", "Asha and Ravi", "Asha, Ravi and Mia", with the language's own "and". */
export function joinNames(names: readonly string[], and: string): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} ${and} ${names.at(-1)}`;
}

/** "1. first\n2. second". */
export function numbered(items: readonly string[]): string {
  return items.map((item, index) => `${index + 1}. ${item}`).join("\n");
}
