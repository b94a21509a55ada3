// Never let `npm install` download a browser: rendering uses a system Chromium (see README).
module.exports = { skipDownload: true };
