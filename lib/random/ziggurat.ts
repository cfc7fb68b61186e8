/**
 * Fast standard normal draws by the ziggurat method (Marsaglia and Tsang 2000, 128 layers), taking its uniforms
 * from an opslab {@linkcode Rng} (so streams stay per entity and seeded). About one uniform a draw against about
 * 1.3 plus a logarithm and a square root for the polar method (about 1.6x faster): the generators need several
 * draws a point, and this is most of the time of a run.
 * @module
 */
import type { Rng } from "./rng.ts";

const LAYERS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const M1 = 2147483648;
const kn = new Float64Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  let dn = R, tn = R;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * M1;
  kn[1] = 0;
  wn[0] = q / M1;
  wn[LAYERS - 1] = dn / M1;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * M1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M1;
  }
}

function tail(rng: Rng, hz: number, iz: number): number {
  for (;;) {
    const x = hz * wn[iz];
    if (iz === 0) {
      let t: number, y: number;
      do {
        t = -Math.log(1 - rng.next()) / R;
        y = -Math.log(1 - rng.next());
      } while (y + y < t * t);
      return hz > 0 ? R + t : -R - t;
    }
    if (fn[iz] + rng.next() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
    hz = (rng.next() * 4294967296) | 0;
    iz = hz & (LAYERS - 1);
    if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
  }
}

/**
 * Fills `out` with standard normal draws.
 * @param rng the stream (its 32-bit uniforms are the source)
 * @param out the array to fill
 * @returns `out`
 * @example
 * ```ts
 * import { entityStream } from "@lib/random/mod.ts";
 * import { fillStandardNormal } from "@lib/random/mod.ts";
 * const z = fillStandardNormal(entityStream(1, { dataset: "anomalies", entity: "x" }), new Float64Array(1000));
 * ```
 */
export function fillStandardNormal(rng: Rng, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) {
    const hz = (rng.next() * 4294967296) | 0;
    const iz = hz & (LAYERS - 1);
    out[i] = Math.abs(hz) < kn[iz] ? hz * wn[iz] : tail(rng, hz, iz);
  }
  return out;
}
