// Which links can be an announcement's attachment: https, a public host, at most 2048 characters.
import { describe, expect, it } from "vitest";
import { attachmentUrlProblem, MAX_ATTACHMENT_URL_LENGTH } from "../../src/domain";

describe("attachmentUrlProblem", () => {
  it.each([
    "https://greenfield.example/news/nov.pdf",
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
    `https://a.example/${"x".repeat(MAX_ATTACHMENT_URL_LENGTH - 18)}`,
  ])("accepts %s", (url) => {
    expect(attachmentUrlProblem(url)).toBeNull();
  });

  it.each([
    ["http://greenfield.example/news.pdf", "must start with https://"],
    ["ftp://greenfield.example/news.pdf", "must start with https://"],
    ["news.pdf", "must be a link"],
    ["https://localhost/news.pdf", "public address"],
    ["https://intranet/news.pdf", "public address"],
    [`https://a.example/${"x".repeat(MAX_ATTACHMENT_URL_LENGTH - 17)}`, "the most is 2048"],
  ])("refuses %s", (url, why) => {
    expect(attachmentUrlProblem(url)).toContain(why);
  });
});
