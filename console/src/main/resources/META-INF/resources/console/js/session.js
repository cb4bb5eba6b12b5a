// Who is signed in. Pages ask the session for an Authorization header and never see how it was obtained, so an
// OIDC session (a token from a login redirect) can be added beside ApiKeySession without touching them.

const STORAGE = 'aeon.console.apiKey';

/** A session signed in with an API key, kept in sessionStorage only: gone with the tab, or at sign-out. */
export class ApiKeySession {
  constructor(apiKey) {
    this.apiKey = apiKey;
  }

  static restore() {
    const key = sessionStorage.getItem(STORAGE);
    return key ? new ApiKeySession(key) : null;
  }

  /** Keeps the key for this tab; call once the key was verified. */
  remember() {
    sessionStorage.setItem(STORAGE, this.apiKey);
  }

  authorization() {
    return 'Bearer ' + this.apiKey;
  }

  signOut() {
    sessionStorage.removeItem(STORAGE);
    this.apiKey = null;
  }
}
