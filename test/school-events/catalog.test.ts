// The notices' catalogs: every language says every notice, and each fits one GSM-7 SMS segment
// once Parentline's SMS rendering has put it in GSM-7.
import { describe, expect, it } from "vitest";
import { forSms, smsSegmentsOf } from "../../src/contracts";
import { catalogs, type SchoolEventCatalog } from "../../src/school-events/catalog";
import { noticeText } from "../../src/school-events/notice-text";

const school = "Greenfield Primary School";
const samples = (catalog: SchoolEventCatalog) => [
  catalog.absent({ school, child: "Benjamin", date: "miércoles, 30 de septiembre", period: "AM" }),
  catalog.late({ school, child: "Benjamin", date: "Wednesday, September 30", period: "Period 3" }),
  catalog.feeReminder({ school, child: "Benjamin", amount: "1245,50 US$", dueDate: "30 sept." }),
  catalog.scoresPublished({
    school,
    child: "Benjamin",
    title: "Term 1 report cards",
    url: "https://portal.example.org/r/1",
  }),
  catalog.answerTaken({ child: "Benjamin", reference: "T-1001", assignee: "Ms Rao, 5A" }),
];

describe("the school-event catalogs", () => {
  it("have every entry in English and Spanish", () => {
    expect(Object.keys(catalogs).sort()).toEqual(["en", "es"]);
    expect(Object.keys(catalogs.es ?? {}).sort()).toEqual(Object.keys(catalogs.en ?? {}).sort());
  });

  it.each(Object.entries(catalogs))("fit one GSM-7 segment on SMS in %s", (_language, catalog) => {
    for (const text of samples(catalog)) {
      const sms = forSms({ kind: "school_event", text, options: [] });
      expect([text, smsSegmentsOf(sms)]).toEqual([text, 1]);
    }
  });

  it("write a Spanish reader's dates and amounts in Spanish", () => {
    const text = noticeText(
      {
        type: "fee.reminder",
        admissionNumbers: ["x"],
        amount: "45",
        currency: "EUR",
        dueDate: "2026-12-15",
      },
      { school, child: "Maya", language: "es" },
    );
    expect(text).toContain("45,00\u00a0€ de Maya vence el martes, 15 de diciembre");
  });
});
