"""Plausible wrong answers for 06_infogan's exercises; each must fail its self-check with the hint.

Format and rules: tests/test_notebook_exercises.py (and docs/INSTRUCTORS.md, "Exercises").
"""
MISTAKES = [
    # Exercise 1: matched_accuracy
    {"exercise": "def matched_accuracy(",
     "code": "return np.trace(counts) / counts.sum()",                      # category ids taken as digit labels
     "hint": "category numbers are arbitrary"},
    {"exercise": "def matched_accuracy(",
     "code": "return counts.max(axis=1).sum() / counts.sum()",             # majority vote
     "hint": "one-to-one"},
    {"exercise": "def matched_accuracy(",
     "code": "rows, cols = linear_sum_assignment(counts)\n"
             "return counts[rows, cols].sum() / counts.sum()",             # minimises the matched count
     "hint": "as large as possible"},
    # Exercise 2: mi_lower_bound
    {"exercise": "def mi_lower_bound(",
     "code": "return float(cat_logits.log_softmax(dim=1)[torch.arange(len(c)), c].mean())",   # no H(c)
     "hint": "add the entropy H(c)"},
    {"exercise": "def mi_lower_bound(",
     "code": "return math.log(cat_logits.shape[1]) - F.cross_entropy(cat_logits.softmax(dim=1), c).item()",
     "hint": "raw logits"},                                                 # softmax before cross-entropy
    {"exercise": "def mi_lower_bound(",
     "code": "return float(cat_logits.log_softmax(dim=1)[torch.arange(len(c)), c].mean() + math.log2(cat_logits.shape[1]))",
     "hint": "in nats"},                                                    # bits for H(c)
    # Exercise 3: gaussian_log_likelihood
    {"exercise": "def gaussian_log_likelihood(",
     "code": "return (-(c - mean) ** 2 / (2 * torch.exp(2 * log_std)) - log_std).sum(dim=1).mean()",
     "hint": "keep the constant"},                                          # no -0.5 log 2 pi
    {"exercise": "def gaussian_log_likelihood(",
     "code": "return (-(c - mean) ** 2 / (2 * torch.exp(log_std)) - log_std - 0.5 * math.log(2 * math.pi)).sum(dim=1).mean()",
     "hint": "variance sigma^2"},                                           # sigma where sigma^2 belongs
    {"exercise": "def gaussian_log_likelihood(",
     "code": "return (-(c - mean) ** 2 / (2 * torch.exp(2 * log_std)) - 0.5 * math.log(2 * math.pi)).sum(dim=1).mean()",
     "hint": "subtract log sigma"},                                         # forgets the -log sigma term
]
