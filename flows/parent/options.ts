// Matches what a parent typed against the options they were offered: "2", "new", "New request".
import type { Option } from "./parent.types";

export function matchOption(text: string, offered: Option[]): Option | null {
  const answer = text.trim().toLowerCase().replace(/[.)]$/, "");
  if (!answer) return null;
  if (/^\d+$/.test(answer)) return offered[Number(answer) - 1] ?? null;
  return (
    offered.find((option) => option.id.toLowerCase() === answer) ??
    offered.find((option) => option.label.toLowerCase() === answer) ??
    null
  );
}
