// Matches what a person typed against the options they were offered: "2", "2.", "new", a label.
// The staff conversation answers its options the same way.

export function matchOption<T extends { id: string; label: string }>(
  text: string,
  offered: readonly T[],
): T | null {
  const answer = text.trim().toLowerCase();
  if (!answer) return null;
  // "2." and "2)" are how people answer numbered lists.
  const number = answer.match(/^(\d+)[.)]?$/)?.[1];
  if (number) return offered[Number(number) - 1] ?? null;
  return (
    offered.find((option) => option.id.toLowerCase() === answer) ??
    offered.find((option) => option.label.toLowerCase() === answer) ??
    null
  );
}
