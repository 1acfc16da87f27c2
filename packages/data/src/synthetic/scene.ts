import type { FaceIdentity } from './identity';
import { clamp, dcos, dsin, tri } from './math';
import { ellipse, type Painter, type Shader, type Shape } from './painter';
import { scale, type Rgb } from './palette';
import type { FaceView } from './view';

/** Depth of the face's front relative to its half-height: how far features travel when the head turns. */
const DEPTH = 0.55;

/**
 * What every drawing stage of one picture shares: the painter, the person and the view, the
 * head's pose (to place features) and the light (to shade them). Built once per picture so the
 * stages compute pose and light with the same numbers, in the same order, as one long function did.
 */
export interface Scene {
  readonly p: Painter;
  readonly id: FaceIdentity;
  readonly view: FaceView;
  /** Half-width and half-height of the face oval. */
  readonly a: number;
  readonly b: number;
  /** cos and sin of the yaw: a turned head shows narrower features, shifted sideways. */
  readonly cosYaw: number;
  readonly sinYaw: number;
  /** Light direction's x, unit length (the nose's shadow falls on the side away from it). */
  readonly lightX: number;
  readonly strength: number;
  /** Sideways shift of the skull's centre with yaw: hair follows the skull, not the face's front. */
  readonly headShiftX: number;
  /** Height of the nose tip: the beard and a mask start just below it. */
  readonly noseTipY: number;
  /**
   * A point on the face's front (frontal coordinates x, y, sticking out by `bump`) as seen
   * after the head turns by yaw and nods by pitch (orthographic projection of an ellipsoid).
   */
  project(x: number, y: number, bump?: number): [number, number];
  /** Skin-like colour shaded by the head's Lambertian lighting, times `amount`. */
  shaded(color: Rgb, amount?: number): Shader;
  /** Hair colour, darkened by `darken`, shaded and striped with strands. */
  hairShader(color: Rgb, darken: number): Shader;
  /** The face oval, narrowing toward the chin: half-width w(y) = a (1 - jaw t^2), t = max(0, y / b). */
  faceShape: Shape;
}

export function makeScene(p: Painter, id: FaceIdentity, view: FaceView): Scene {
  const a = id.faceWidth;
  const b = id.faceHeight;
  const cy = dcos(view.yaw);
  const sy = dsin(view.yaw);
  const cp = dcos(view.pitch);
  const sp = dsin(view.pitch);
  const project = (x: number, y: number, bump = 0): [number, number] => {
    const nx = x / a;
    const ny = y / b;
    const z = DEPTH * Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny)) + bump;
    return [x * cy + z * sy, y * cp + z * sp];
  };
  // The light comes from the front (z = 0.9) tilted toward the view's light direction.
  const lz = 0.9;
  const ln = Math.sqrt(view.lightX * view.lightX + view.lightY * view.lightY + lz * lz);
  const [lx, ly, lzn] = [view.lightX / ln, view.lightY / ln, lz / ln];
  const strength = view.lightStrength;
  // Lambertian shading of the head ellipsoid: ambient + strength * max(0, n . l).
  const shadeAt = (x: number, y: number): number => {
    const nx = clamp(x / a, -1, 1);
    const ny = clamp(y / b, -1, 1);
    const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
    const lambert = Math.max(0, nx * lx + ny * ly + nz * lzn);
    return 1 - 0.6 * strength + 0.75 * strength * lambert;
  };
  const shaded =
    (color: Rgb, amount = 1): Shader =>
    (x, y, out) => {
      const s = shadeAt(x, y) * amount;
      out[0] = color[0] * s;
      out[1] = color[1] * s;
      out[2] = color[2] * s;
    };
  const hairShader = (color: Rgb, darken: number): Shader => {
    const base = scale(color, 1 - 0.15 * darken);
    return (x, y, out) => {
      // Strands: a faint stripe texture along the head's curve.
      const s = shadeAt(x * 0.8, y * 0.8) * (1 + 0.08 * tri((x * 0.35 + y) * 14 + x * x * 6));
      out[0] = base[0] * s;
      out[1] = base[1] * s;
      out[2] = base[2] * s;
    };
  };
  const faceShape = (x: number, y: number) => {
    const t = clamp(y / b, 0, 1);
    return ellipse(x, y, a * (1 - id.jaw * t * t), b);
  };
  return {
    p,
    id,
    view,
    a,
    b,
    cosYaw: cy,
    sinYaw: sy,
    lightX: lx,
    strength,
    headShiftX: -DEPTH * 0.3 * sy,
    noseTipY: id.eyeY + id.noseLength,
    project,
    shaded,
    hairShader,
    faceShape,
  };
}
