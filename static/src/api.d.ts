// Types of consent-banner's page API: `window.consentBanner`, the `consent:change` event, and the
// ES module `consent-banner/api` (api.mjs) that reaches them. docs/reference.md, "Events and JavaScript API".

/** What the banner's loader (consent.js) puts on `window.consentBanner`. */
export interface ConsentBanner {
  /** The release the portal serves. */
  readonly version: string;
  /** Whether category `id` is accepted now. */
  accepted(id: string): boolean;
  /** Shows the first layer. */
  show(): void;
  /** Opens the preferences centre. */
  showPreferences(): void;
  /** Forgets the choice (erases `cookies_preferences`), clears optional cookies, shows the banner. */
  reset(): void;
  /** Treats a fragment, element or shadow root a framework rendered. */
  apply(node: Node): void;
  /** Resolves once the banner has treated what the page holds and has nothing in flight. */
  settled(): Promise<boolean>;
}

/** `detail` of the `consent:change` event, dispatched on `document` after start-up and every decision. */
export interface ConsentChangeDetail {
  /** Accepted category ids, the required one included. */
  readonly accepted: string[];
}

export declare function accepted(id: string): boolean;
export declare function show(): void;
export declare function showPreferences(): void;
export declare function reset(): void;
export declare function apply(node: Node): void;
export declare function settled(): Promise<boolean>;
export declare function version(): string;
/** Calls `listener` with the accepted ids after start-up and every decision; returns the unsubscribe. */
export declare function onChange(listener: (accepted: string[]) => void): () => void;

declare global {
  interface Window {
    consentBanner?: ConsentBanner;
  }
  interface DocumentEventMap {
    "consent:change": CustomEvent<ConsentChangeDetail>;
  }
}
