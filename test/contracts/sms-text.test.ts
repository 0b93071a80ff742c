// The SMS rendering replaces characters outside GSM-7 in Parentline's own words only: words a
// message quotes (a parent's, a teacher's) stay as written, and the segment count follows.
import { describe, expect, it } from "vitest";
import { forSms, smsSegmentsOf } from "../../src/contracts";

describe("forSms", () => {
  it("replaces outside GSM-7 only around the quoted words", () => {
    const message = {
      kind: "reply",
      text: "Categoría: Asistencia\nMensaje: Mañana llegará tarde — ¿está bien?",
      quoted: ["Mañana llegará tarde — ¿está bien?"],
    };
    expect(forSms(message).text).toBe(
      "Categoria: Asistencia\nMensaje: Mañana llegará tarde — ¿está bien?",
    );
  });

  it("keeps each quoted text in order, even one that also appears in our words", () => {
    const message = {
      kind: "reply",
      text: 'Sí: "Sí, gracias" · "Está bien"',
      quoted: ["Sí, gracias", "Está bien"],
    };
    expect(forSms(message).text).toBe('Si: "Sí, gracias" - "Está bien"');
  });

  it("renders the whole text in GSM-7 when the quoted words are not in it", () => {
    expect(forSms({ kind: "reply", text: "Categoría", quoted: ["otra cosa"] }).text).toBe(
      "Categoria",
    );
  });

  it("counts a quoted non-GSM character as UCS-2, and the same text unquoted as GSM-7", () => {
    const text = `Mensaje: ${"a".repeat(80)} llegará`;
    expect(smsSegmentsOf({ kind: "reply", text })).toBe(1);
    expect(smsSegmentsOf({ kind: "reply", text, quoted: [`${"a".repeat(80)} llegará`] })).toBe(2);
  });
});
