export {
  namedVariables,
  modelState,
  type NamedVariable,
  type VariablesInput,
  type VariableEntry,
  type LayerVariableLike,
  type ModelLike,
} from './variables';
export {
  Optimizer,
  type BaseOptimizerOptions,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type OptimizerState,
  type Gradients,
} from './optim/optimizer';
export { SGD, type SGDOptions } from './optim/sgd';
export { Adam, AdamW, type AdamOptions } from './optim/adam';
export { splitWeightDecay, isNormOrBias } from './optim/param-groups';
export { clipGradNorm, clipGradValue, type NamedGradients } from './optim/clip';
export { type LearningRateSchedule } from './schedules/schedule';
export { stepDecay, multiStepDecay } from './schedules/step';
export { cosineAnnealing } from './schedules/cosine';
export { polynomialDecay } from './schedules/polynomial';
export { linearWarmup, type LinearWarmupOptions } from './schedules/warmup';
export { oneCycle, type OneCycleOptions } from './schedules/one-cycle';
