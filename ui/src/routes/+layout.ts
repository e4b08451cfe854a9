// Everything the UI shows is live chain data read in the browser, and every write is signed in the
// browser's wallet: the pages render on the client. The server only hands out the configuration.
export const ssr = false;
