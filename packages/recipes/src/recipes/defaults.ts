// The recipes' defaults, one constant each: the recipes, the evaluations and the `face` command's
// flags read them from here. They are the recipe's, not the primitive's: @face/losses keeps label
// smoothing 0 and the optimizers weight decay 0 (PyTorch's neutral defaults), and a recipe turns
// them on.

/** Images per training batch (classification, joint and sequential recipes). */
export const DEFAULT_BATCH_SIZE = 32;

/** Images per batch when embedding for evaluation (no gradients, so larger than training's). */
export const DEFAULT_EVAL_BATCH_SIZE = 64;

/** Label smoothing of the softmax phase (Szegedy et al. 2016; the 0.1 of InsightFace recipes). */
export const DEFAULT_LABEL_SMOOTHING = 0.1;

/** Weight decay of the recipe optimizers (ArcFace / InsightFace's 5e-4), off for norms and biases. */
export const DEFAULT_WEIGHT_DECAY = 5e-4;
