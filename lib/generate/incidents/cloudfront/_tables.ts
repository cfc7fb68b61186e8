/**
 * The fixed vocabulary of the CloudFront logs: edge locations, user agents, TLS setups, protocol versions, referers,
 * result types and the pre-encoded byte pieces the line formatter copies.
 * @module
 */
import { ascii } from "@lib/formats/bytes.ts";
import { CLOUDFRONT_FIELDS } from "@lib/formats/cloudfront.ts";

/** The 33 fields, in order, as the `#Fields:` header lists them: one list, shared with the ingester. */
export const CLOUDFRONT_W3C_FIELDS = CLOUDFRONT_FIELDS;

/** The two header lines of every file. */
export const CLOUDFRONT_HEADER = `#Version: 1.0\n#Fields: ${CLOUDFRONT_W3C_FIELDS.join(" ")}\n`;

export const DISTRIBUTION_HOST = "d111111abcdef8.cloudfront.net";
export const SITE = "www.example.com";

export const EDGES: Record<string, readonly string[]> = {
  "us-east": ["IAD89-C1", "IAD61-P2", "JFK50-C1", "ATL59-C1", "BOS50-C1"],
  "us-west": ["SFO53-C1", "LAX50-P1", "SEA73-P2", "DEN52-C1"],
  "eu-west": ["LHR62-C2", "DUB56-P1", "CDG52-P3", "MAD51-C1"],
  "eu-central": ["FRA56-P2", "AMS1-C1", "MUC50-C1", "WAW51-P1"],
  "ap-southeast": ["SIN2-P2", "NRT57-C3", "SYD62-P1", "HKG60-C1"],
  "sa-east": ["GRU3-C1", "GIG51-C1"],
};
export const EDGE_REGION_WEIGHTS: Record<string, number> = {
  "us-east": 0.34,
  "us-west": 0.18,
  "eu-west": 0.18,
  "eu-central": 0.14,
  "ap-southeast": 0.11,
  "sa-east": 0.05,
};

export const USER_AGENTS: readonly [string, number][] = [
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.112 Safari/537.36",
    22,
  ],
  [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    18,
  ],
  [
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36",
    14,
  ],
  [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    10,
  ],
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0", 6],
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.112 Safari/537.36 Edg/122.0.2365.92",
    6,
  ],
  [
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.5790.166 Mobile Safari/537.36",
    4,
  ],
  ["ExampleShop/5.12.0 (iPhone; iOS 17.3; Scale/3.00)", 6],
  ["okhttp/4.12.0", 4],
  ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 3],
  ["Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 1.5],
  ["Amazon CloudFront", 0.5],
  ["curl/8.5.0", 0.5],
];

export const TLS: readonly [string, string, number][] = [
  ["TLSv1.3", "TLS_AES_128_GCM_SHA256", 62],
  ["TLSv1.3", "TLS_AES_256_GCM_SHA384", 12],
  ["TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", 6],
  ["TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", 16],
  ["TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", 4],
];

export const PROTOCOL_VERSIONS: readonly [string, number][] = [["HTTP/2.0", 68], ["HTTP/1.1", 22], ["HTTP/3.0", 10]];

/**
 * URL-encodes a header value as CloudFront writes it: spaces, quotes, backslashes, tabs and non-ASCII escaped.
 * @param s the value
 * @returns the encoded value
 */
export function cloudfrontEncode(s: string): string {
  return s.replace(
    /[\s"\\%\u0080-\uffff]/g,
    (c) => Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

export const REFERERS = [
  "-",
  "-",
  `https://${SITE}/`,
  `https://${SITE}/products/`,
  `https://${SITE}/category/`,
  `https://${SITE}/deals`,
]
  .map(ascii);
export const BG_ERRORS: readonly [number, number][] = [[404, 60], [403, 8], [400, 4], [500, 3], [502, 2], [503, 2], [
  504,
  2,
], [
  0,
  2,
]];

export const T = 9;
export const DASH = 45;
export const B = {
  siteHttps: ascii(`\t${SITE}\thttps\t`),
  siteHttp: ascii(`\t${SITE}\thttp\t`),
  noTls: ascii("\t-\t-\t-\t"),
  html: ascii("text/html"),
  end: ascii("\t-\t-\n"),
  header: ascii(CLOUDFRONT_HEADER),
};
export const RESULTS = ["Hit", "RefreshHit", "Miss", "Error", "Redirect"] as const;
export const RESULT_BYTES = RESULTS.map(ascii);
/** cs(Cookie) `-`, then x-edge-result-type, each with its tabs. */
export const RESULT_MID = RESULTS.map((r) => ascii(`\t-\t${r}\t`));
/** Tab, cs(Referer), tab. */
export const REFERER_BLOCK = REFERERS.map((r) => Uint8Array.from([T, ...r, T]));
export const [HIT, REFRESH, MISS, ERROR, REDIRECT] = [0, 1, 2, 3, 4];
const DETAILED = new Map<string, Uint8Array>();
export function detailedBytes(s: string): Uint8Array {
  let b = DETAILED.get(s);
  if (!b) DETAILED.set(s, b = ascii(s));
  return b;
}
