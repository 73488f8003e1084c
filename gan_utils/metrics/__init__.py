"""The course's evaluation toolkit: a judge classifier and the metrics built on it.

One concept per module:

* :mod:`.judge` - the judge CNN (``load_judge``, ``judge_features``, ``judge_probs``, ``train_judge``)
* :mod:`.frechet` - Fréchet distance on judge features (``frechet_distance``, ``fid``)
* :mod:`.classes` - judge score, confidence, class histogram and coverage
* :mod:`.parzen` - Parzen-window log-likelihood (Goodfellow et al. 2014 protocol)
* :mod:`.knn` - k-NN precision/recall (Kynkäänniemi et al. 2019) and the memorisation check
* :mod:`.toys` - mode counting on the 2-D ring and grid (PacGAN protocol)
* :mod:`.gam` - the GAM battle between two GANs (Im et al. 2016)
* :mod:`.two_sample` - the classifier two-sample test (Lopez-Paz & Oquab 2017), ``two_sample_test``
* :mod:`.evaluate` - ``evaluate(samples)``, the scoreboard's standard set
* :mod:`.reference` - ceilings and floors: ``beside_references(scores)`` prints a model's metrics
  next to real data and noise

Commands: ``python -m gan_utils.metrics train-judge | reference | benchmark``
(see docs/metrics.md). Taught in 08_evaluating_gans.
"""
from .classes import (class_histogram, class_kl, classes_covered, conditional_accuracy, histogram_from_probs,
                      judge_confidence, judge_score, score_from_probs)
from .evaluate import METRIC_KEYS, clear_cache, evaluate, reference_features, reference_outputs
from .frechet import feature_statistics, fid, frechet_distance, frechet_distance_features
from .gam import GamResult, error_on_fake, error_on_real, error_ratio, gam_battle
from .judge import (FEATURE_DIM, JUDGE_SHA256, Judge, JudgeError, judge_features, judge_outputs, judge_path,
                    judge_probs, load_judge, train_judge)
from .knn import Memorisation, PrecisionRecall, memorisation, precision_recall, precision_recall_features
from .reference import beside_references, reference_points
from .parzen import DEFAULT_SIGMAS, ParzenResult, parzen_log_density, parzen_log_likelihood
from .toys import ModeCount, count_modes
from .two_sample import TwoSampleResult, two_sample_test

__all__ = [
    "DEFAULT_SIGMAS", "FEATURE_DIM", "JUDGE_SHA256", "METRIC_KEYS", "GamResult", "Judge", "JudgeError",
    "Memorisation", "ModeCount", "ParzenResult", "PrecisionRecall", "class_histogram", "class_kl",
    "classes_covered", "clear_cache", "conditional_accuracy", "count_modes", "error_on_fake", "error_on_real",
    "error_ratio", "evaluate", "feature_statistics", "fid", "frechet_distance", "frechet_distance_features",
    "gam_battle", "histogram_from_probs", "judge_confidence", "judge_features", "judge_outputs", "judge_path",
    "judge_probs", "judge_score", "load_judge", "memorisation", "parzen_log_density", "parzen_log_likelihood",
    "precision_recall", "precision_recall_features", "reference_features", "reference_outputs",
    "score_from_probs", "train_judge", "beside_references", "reference_points", "TwoSampleResult",
    "two_sample_test",
]
