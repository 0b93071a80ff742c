// Self-contained HTML page served at GET /staff/whatsapp-web: an admin pastes an access token, and
// the page polls the link state and shows the QR code until the session is ready. Its script
// carries the response's CSP nonce.
export const linkPage = (nonce: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link WhatsApp Web</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, sans-serif; max-width: 420px; margin: 32px auto; padding: 0 16px; color: #111b21; }
  h1 { font-size: 20px; }
  label { display: block; font-weight: 600; margin-bottom: 4px; }
  input { width: 100%; box-sizing: border-box; font: inherit; padding: 8px; }
  button { margin-top: 8px; font: inherit; padding: 8px 14px; }
  #state { margin: 16px 0 8px; font-weight: 600; }
  #error { color: #8a1c1c; }
  img { display: block; width: 264px; height: 264px; }
</style>
</head>
<body>
<h1>Link WhatsApp Web</h1>
<p>On the school's phone: WhatsApp → Settings → Linked devices → Link a device, then scan the code.</p>
<form id="form">
  <label for="token">Admin access token</label>
  <input id="token" type="password" autocomplete="off" required>
  <button type="submit">Show link state</button>
</form>
<p id="state" role="status" aria-live="polite"></p>
<p id="error" role="alert"></p>
<img id="qr" alt="QR code to scan with WhatsApp" hidden>
<script nonce="${nonce}">
(function () {
  "use strict";
  var token = "";
  var timer = null;
  var el = {
    form: document.getElementById("form"),
    token: document.getElementById("token"),
    state: document.getElementById("state"),
    error: document.getElementById("error"),
    qr: document.getElementById("qr")
  };
  function poll() {
    fetch(location.pathname.replace(/\\/?$/, "/link"), { headers: { authorization: "Bearer " + token } })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) throw new Error((body.error && body.error.message) || "HTTP " + res.status);
          return body;
        });
      })
      .then(function (body) {
        el.error.textContent = "";
        el.state.textContent = "State: " + body.state;
        el.qr.hidden = !body.qr;
        if (body.qr) el.qr.src = body.qr;
        timer = setTimeout(poll, body.state === "ready" ? 15000 : 3000);
      })
      .catch(function (err) {
        el.error.textContent = err.message;
        el.qr.hidden = true;
      });
  }
  el.form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    token = el.token.value.trim();
    clearTimeout(timer);
    poll();
  });
})();
</script>
</body>
</html>
`;
