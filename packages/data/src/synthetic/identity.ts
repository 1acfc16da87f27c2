import type { Rng } from '@face/core';
import { anyColor, hairColor, irisColor, mix, skinTone, type Rgb } from './palette';

/**
 * What makes one synthetic person: head shape, colours, and the size and placement of each
 * feature, in face units (the face oval's half-height is about 1; x right, y down, eyes near
 * y = -0.15, mouth near y = 0.5).
 */
export interface FaceIdentity {
  /** Half-width and half-height of the face oval. */
  faceWidth: number;
  faceHeight: number;
  /** How much the oval narrows toward the chin (0 = ellipse). */
  jaw: number;
  skin: Rgb;
  hair: Rgb;
  /** 0 bald, 1 short, 2 long (falls behind the shoulders), 3 fringe. */
  hairStyle: 0 | 1 | 2 | 3;
  /** Hairline height at the middle, its curvature toward the temples, its tilt (side part). */
  hairline: number;
  hairlineCurve: number;
  hairlineTilt: number;
  /** Hair volume: the hair oval's size relative to the head. */
  hairVolume: number;
  /** Eyes: half the distance between centres, height, half-width, height/width ratio, tilt. */
  eyeSpacing: number;
  eyeY: number;
  eyeWidth: number;
  eyeAspect: number;
  eyeTilt: number;
  iris: Rgb;
  /** Brows: height above the eye, thickness, half-length, arch, slant, colour. */
  browGap: number;
  browThickness: number;
  browLength: number;
  browArch: number;
  browSlant: number;
  brow: Rgb;
  /** Nose: length from the eye line, half-width at the nostrils. */
  noseLength: number;
  noseWidth: number;
  /** Mouth: height, half-width, lip thickness, lip colour. */
  mouthY: number;
  mouthWidth: number;
  lipThickness: number;
  lips: Rgb;
  earSize: number;
  beard: boolean;
  moustache: boolean;
  glasses: Rgb | null;
  /** A mole: position and radius, or null. */
  mole: [number, number, number] | null;
}

/** Draws one identity. Ranges are wide so that identities differ in many independent ways. */
export function sampleIdentity(rng: Rng): FaceIdentity {
  const skin = skinTone(rng);
  const hair = hairColor(rng);
  const u = (lo: number, hi: number) => rng.uniform(lo, hi);
  const styleDraw = rng.next();
  const hairStyle: FaceIdentity['hairStyle'] =
    styleDraw < 0.08 ? 0 : styleDraw < 0.55 ? 1 : styleDraw < 0.8 ? 2 : 3;
  const faceWidth = u(0.66, 0.86);
  const eyeY = u(-0.24, -0.06);
  return {
    faceWidth,
    faceHeight: u(0.92, 1.06),
    jaw: u(0, 0.4),
    skin,
    hair,
    hairStyle,
    hairline: u(-0.78, -0.5),
    hairlineCurve: u(-0.1, 0.3),
    hairlineTilt: u(-0.15, 0.15),
    hairVolume: u(1.04, 1.22),
    eyeSpacing: u(0.24, 0.38) * (faceWidth / 0.76),
    eyeY,
    eyeWidth: u(0.1, 0.155),
    eyeAspect: u(0.38, 0.62),
    eyeTilt: u(-0.18, 0.18),
    iris: irisColor(rng),
    browGap: u(0.1, 0.2),
    browThickness: u(0.022, 0.06),
    browLength: u(0.12, 0.2),
    browArch: u(-0.01, 0.06),
    browSlant: u(-0.25, 0.25),
    brow: mix(hair, [20, 16, 14], u(0.2, 0.6)),
    noseLength: u(0.22, 0.38),
    noseWidth: u(0.07, 0.15),
    mouthY: u(0.4, 0.6),
    mouthWidth: u(0.16, 0.3),
    lipThickness: u(0.025, 0.07),
    lips: mix(skin, [170, 60, 70], u(0.2, 0.6)),
    earSize: u(0.1, 0.17),
    beard: rng.bernoulli(0.18),
    moustache: rng.bernoulli(0.2),
    glasses: rng.bernoulli(0.15) ? mix(anyColor(rng), [20, 20, 20], 0.6) : null,
    mole: rng.bernoulli(0.3) ? [u(-0.5, 0.5) * faceWidth, u(-0.3, 0.7), u(0.015, 0.03)] : null,
  };
}
