// The baseline for `npm run bench:inbound`, run as its own process: a bare Hono app on
// @hono/node-server whose webhook handlers only parse the same bodies Parentline's do (Twilio's form,
// Telegram's JSON) and answer as the providers expect. It also plays the Telegram Bot API for the
// Parentline server under test (TELEGRAM_API_ROOT points here), so replies have somewhere to go.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

let sentMessages = 0;
const app = new Hono()
  .get("/health", (c) => c.json({ status: "ok", sentMessages }))
  .post("/webhooks/twilio", async (c) => {
    await c.req.parseBody();
    return c.body('<?xml version="1.0" encoding="UTF-8"?><Response/>', 200, {
      "content-type": "text/xml",
    });
  })
  .post("/webhooks/telegram", async (c) => {
    await c.req.json();
    return c.body(null, 200);
  })
  // The Bot API as Parentline's grammY client calls it: /bot<token>/<method>.
  .post("/:bot/:method", async (c) => {
    const method = c.req.param("method");
    const body = (await c.req.json().catch(() => ({}))) as { chat_id?: number | string };
    if (method === "getMe")
      return c.json({
        ok: true,
        result: {
          id: 7000000001,
          is_bot: true,
          first_name: "Parentline",
          username: "parentline_bench_bot",
        },
      });
    if (method === "sendMessage") {
      sentMessages += 1;
      return c.json({
        ok: true,
        result: {
          message_id: sentMessages,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id), type: "private" },
          text: "",
        },
      });
    }
    return c.json({ ok: true, result: true });
  });

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
