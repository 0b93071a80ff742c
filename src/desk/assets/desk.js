// The desk's progressive enhancement: every page works without it. With it, the ticket queue and a
// ticket's page refresh themselves on the live event stream, a ticket's replies update their
// delivery state, announcement progress bars move, and choosing a canned reply fills the text box.
(() => {
  /** Replaces the element [data-live=name] with the same element from a fresh copy of the page. */
  function refresh(name) {
    const current = document.querySelector(`[data-live="${name}"]`);
    if (!current) return Promise.resolve(null);
    return fetch(location.href, {
      headers: { "x-desk-fragment": name },
      credentials: "same-origin",
    })
      .then((res) => {
        if (res.status === 401) {
          location.assign(`${document.body.dataset.signIn || "/staff"}?ended=1`);
          return null;
        }
        return res.ok ? res.text() : null;
      })
      .then((html) => {
        if (html === null) return null;
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.querySelector(`[data-live="${name}"]`);
        if (fresh) current.replaceWith(fresh);
        return fresh;
      })
      .catch(() => null);
  }

  /** Coalesces bursts of events into one refresh. */
  function debounced(fn, ms) {
    let timer = null;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function listen(onEvent) {
    if (!window.EventSource) return;
    const source = new EventSource("/staff/events");
    for (const type of ["ticket.created", "message.added", "ticket.updated"]) {
      source.addEventListener(type, (event) => onEvent(type, JSON.parse(event.data)));
    }
  }

  const queue = document.querySelector('[data-live="queue"]');
  if (queue) {
    const again = debounced(() => refresh("queue"), 150);
    listen(() => again());
  }

  const thread = document.querySelector('[data-live="thread"]');
  if (thread) {
    const ticketId = Number(thread.getAttribute("data-ticket-id"));
    const again = debounced(() => refresh("thread").then(watchDelivery), 150);
    listen((_type, data) => {
      if (data.ticketId === ticketId) again();
    });
    // Receipts are not events: poll while a reply is still on its way.
    let polling = null;
    function watchDelivery() {
      clearTimeout(polling);
      if (document.querySelector('[data-live="thread"] [data-delivery="pending"]')) {
        polling = setTimeout(() => refresh("thread").then(watchDelivery), 1000);
      }
    }
    watchDelivery();
  }

  const progress = document.querySelector('[data-live="announcements"]');
  if (progress) {
    const poll = () => {
      if (!document.querySelector('[data-live="announcements"] [data-progress="going"]')) return;
      setTimeout(() => refresh("announcements").then(poll), 1000);
    };
    poll();
  }

  const canned = document.getElementById("canned");
  const replyBody = document.getElementById("reply-body");
  if (canned && replyBody) {
    canned.addEventListener("change", () => {
      const option = canned.selectedOptions[0];
      const filled = option ? option.getAttribute("data-filled") : null;
      if (filled) {
        replyBody.value = filled;
        replyBody.focus();
      }
    });
  }

  // The WhatsApp Web link page: the state and QR code, polled with the desk's cookie session.
  const link = document.querySelector("[data-whatsapp-link]");
  if (link) {
    const state = document.getElementById("wa-state");
    const error = document.getElementById("wa-error");
    const qr = document.getElementById("wa-qr");
    const poll = () =>
      fetch(link.getAttribute("data-whatsapp-link"), { credentials: "same-origin" })
        .then((res) => res.json().then((body) => ({ res, body })))
        .then(({ res, body }) => {
          if (!res.ok) throw new Error(body.error?.message || `HTTP ${res.status}`);
          error.textContent = "";
          state.textContent = `State: ${body.state}`;
          qr.hidden = !body.qr;
          if (body.qr) qr.src = body.qr;
          setTimeout(poll, body.state === "ready" ? 15000 : 3000);
        })
        .catch((err) => {
          // The last state read may no longer hold: say it is not known rather than keep it.
          state.textContent = "State: unknown";
          error.textContent = err.message;
          qr.hidden = true;
          setTimeout(poll, 5000);
        });
    poll();
  }
})();
