// Settings measured for whole runs, above the recipes' own defaults: what a caller picks when it
// fine-tunes a pretrained backbone or trains the metric recipe's center term, and what the `face`
// command applies (its flags' help text reads them from here).

/**
 * Fine-tuning a pretrained backbone (such as dlib-resnet) with a fresh head (`fineTuneRecipe`, and
 * `face train` with a pretrained backbone): a linear probe first, then a lower learning rate
 * (measured on 225 synthetic people: verification AUC 0.94 at 3e-4, 0.66, below the pretrained
 * 0.69, at 1e-3), the backbone at 0.1x it and the head at 10x, so that the head's first random
 * gradients do not undo what the backbone knows; and no softmax phase before the margin head (the
 * embedding is trained already). Not applied to SGD, whose rates are on another scale.
 */
export const FINE_TUNE_PRESET = Object.freeze({
  /** Adam / AdamW learning rate. */
  lr: 3e-4,
  /** `OptimizerSpec.backboneLrScale` of the margin phase. */
  backboneLrScale: 0.1,
  /** `OptimizerSpec.headLrScale` of the margin phase. */
  headLrScale: 10,
  /** Epochs of the sequential recipe's softmax phase. */
  classificationEpochs: 0,
  /**
   * The fine-tune recipe's linear probe (head warm-up, backbone frozen): its head's rate (the
   * margin phase's head rate, lr x headLrScale), at most this many epochs, stopping once training
   * accuracy has not risen by more than `probeMinDelta` for `probePatience` epochs.
   */
  probeLr: 3e-3,
  probeMaxEpochs: 10,
  probePatience: 2,
  probeMinDelta: 0.01,
  /** Linear warm-up of the unfrozen phase, in epochs (capped at its epochs). */
  warmupEpochs: 1,
});

/**
 * The center loss's lambda for the metric recipe's center term as `face train --loss` sets it
 * (Wen et al. 2016 weigh it at 0.003-0.01 against a classification loss; next to a triplet term,
 * 0.01). The recipe's own default is 1, the loss's neutral value.
 */
export const METRIC_CENTER_LAMBDA = 0.01;
