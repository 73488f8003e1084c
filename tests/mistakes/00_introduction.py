"""Plausible wrong answers for 00_introduction's exercises; each must fail its self-check with the hint.

Format and rules: tests/test_notebook_exercises.py (and docs/INSTRUCTORS.md, "Exercises").
"""
MISTAKES = [
    # Exercise 1: to_signed
    {"exercise": "def to_signed(",
     "code": "return 2 * pixels.float() / 255 - 1",
     "hint": "channel axis"},
    {"exercise": "def to_signed(",
     "code": "return (pixels.float() / 255).unsqueeze(1)",
     "hint": "0 must map to -1"},
    {"exercise": "def to_signed(",
     "code": "return (2 * pixels / 255 - 1).unsqueeze(1)",       # 2 * 255 overflows uint8
     "hint": "uint8"},
    # Exercise 2: class_histogram
    {"exercise": "def class_histogram(",
     "code": "counts = torch.bincount(labels)\nreturn counts.float() / counts.sum()",
     "hint": "minlength"},
    {"exercise": "def class_histogram(",
     "code": "return torch.bincount(labels, minlength=n_classes).float()",
     "hint": "fractions"},
    {"exercise": "def class_histogram(",
     "code": "counts = torch.bincount(labels, minlength=n_classes)\nreturn counts.float() / n_classes",
     "hint": "fractions"},
    # Exercise 3: sample_mixture
    {"exercise": "def sample_mixture(",
     "code": "k = torch.multinomial(weights, n, replacement=True, generator=generator)\n"
             "return means[k] + stds[0] * torch.randn(n, generator=generator)",
     "hint": "its own component's std"},
    {"exercise": "def sample_mixture(",
     "code": "k = torch.randint(len(weights), (n,), generator=generator)\n"
             "return means[k] + stds[k] * torch.randn(n, generator=generator)",
     "hint": "weights"},
    {"exercise": "def sample_mixture(",
     "code": "k = torch.multinomial(weights, 1, generator=generator)\n"
             "return means[k] + stds[k] * torch.randn(n, generator=generator)",
     "hint": "a component for each sample"},
]
