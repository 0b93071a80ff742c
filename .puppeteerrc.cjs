// whatsapp-web.js drives Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium): puppeteer
// must never download a browser of its own, on any machine, without anyone setting a variable.
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  "chrome-headless-shell": { skipDownload: true },
};
