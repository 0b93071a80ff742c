// An announcement's own words follow the guardian's language: the children it is about and the
// daily digest's heading.
import { describe, expect, it } from "vitest";
import { announcementTextFor, digestText } from "../../src/domain";

describe("announcement text", () => {
  it("names the children in the guardian's language", () => {
    expect(announcementTextFor(["Asha", "Mia", "Ravi"], "Picnic", "en")).toBe(
      "About Asha, Mia and Ravi: Picnic",
    );
    expect(announcementTextFor(["Asha", "Ravi"], "Picnic", "es")).toBe("Sobre Asha y Ravi: Picnic");
    expect(announcementTextFor([], "Picnic", "es")).toBe("Picnic");
  });

  it("heads the digest in the guardian's language, falling back to English", () => {
    expect(digestText("Greenfield", ["A", "B"], "es")).toBe(
      "Los 2 avisos de hoy de Greenfield:\n1. A\n2. B",
    );
    expect(digestText("Greenfield", ["A"], "fr")).toBe("Today's announcement from Greenfield:\nA");
  });
});
