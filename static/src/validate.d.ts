// Types of consent-banner's manifest validator for Node (validate.js, `require("consent-banner")`).

export interface Problem {
  /** The field, e.g. `cookies[4].category` ("" is the top level). */
  path: string;
  message: string;
}

export interface Result {
  valid: boolean;
  /** The languages checked. */
  languages: string[];
  problems: Problem[];
  /** validateText only: the JSON parser's message when the text is not JSON. */
  json?: string;
}

export interface Options {
  /** The portal's languages, every text must be given in (default: every language the texts use, else ["fr"]). */
  languages?: string[];
}

/** Checks a decoded manifest with the rules and messages of `consent-banner validate`. */
export declare function validate(manifest: unknown, options?: Options): Result;
/** The same from the file's text: a text that is not JSON gives `json`, the parser's message. */
export declare function validateText(text: string, options?: Options): Result;
/** The languages a manifest's texts use. */
export declare function textLanguages(manifest: unknown): string[];
/** The rules Python wrote in at packaging (field names, limits, alphabets). */
export declare const rules: Record<string, unknown>;
