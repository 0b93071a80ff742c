// Matches what a parent typed against the options they were offered: "2", "2.", "new", a label.
import type { Option } from "./parent.types";

export function matchOption(text: string, offered: Option[]): Option | null {
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
