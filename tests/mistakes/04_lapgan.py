"""Plausible wrong answers for 04_lapgan's exercises; each must fail its self-check with the hint."""
MISTAKES = [
    # Exercise 1: one level of the pyramid
    {"exercise": "def pyramid_level(", "block": 0,
     "code": "coarse = F.max_pool2d(img, 2)\nreturn coarse, img - u(coarse)",
     "hint": "mean of each 2x2 block"},
    {"exercise": "def pyramid_level(", "block": 0,
     "code": "coarse = d(img)\nreturn coarse, img - F.interpolate(coarse, scale_factor=2, mode='nearest')",
     "hint": "with the notebook's u (bilinear)"},
    {"exercise": "def pyramid_level(", "block": 0,
     "code": "coarse = d(img)\nreturn coarse, u(coarse) - img",
     "hint": "in that order"},
    # Exercise 2: refine a coarse image with G0
    {"exercise": "def refine(", "block": 0,
     "code": "l = u(coarse)\nwith torch.no_grad():\n    return G0(l, noise).clamp(-1, 1)",
     "hint": "G0 outputs a residual"},
    {"exercise": "def refine(", "block": 0,
     "code": "l = F.interpolate(coarse, scale_factor=2, mode='nearest')\nwith torch.no_grad():\n"
             "    return (l + G0(l, noise)).clamp(-1, 1)",
     "hint": "bilinear u"},
    {"exercise": "def refine(", "block": 0,
     "code": "l = u(coarse)\nwith torch.no_grad():\n    return l + G0(l, noise)",
     "hint": "clamped to [-1, 1]"},
    # Exercise 3: the two-sample test's p-value
    {"exercise": "def c2st_p_value(", "block": 0,
     "code": "accuracy = n_correct / n_test\nz = (accuracy - 0.5) / math.sqrt(1 / (4 * n_test))\n"
             "return accuracy, math.erfc(abs(z) / math.sqrt(2))",
     "hint": "one-sided"},
    {"exercise": "def c2st_p_value(", "block": 0,
     "code": "accuracy = n_correct / n_test\nz = (accuracy - 0.5) / math.sqrt(1 / n_test)\n"
             "return accuracy, 0.5 * math.erfc(z / math.sqrt(2))",
     "hint": "sqrt(1 / (4 n_test))"},
    # Exercise 4: fooling rates of the real-or-fake game
    {"exercise": "def fooling_rates(", "block": 0,
     "code": "rates = {}\nfor model in sorted(set(kinds) - {'real'}):\n"
             "    said = [a for k, a in zip(kinds, answers) if k == model]\n"
             "    rates[model] = sum(a == 'real' for a in said) / len(kinds)\nreturn rates",
     "hint": "count only that model's images"},
    {"exercise": "def fooling_rates(", "block": 0,
     "code": "rates = {}\nfor model in sorted(set(kinds) - {'real'}):\n"
             "    said = [a for k, a in zip(kinds, answers) if k == model]\n"
             "    rates[model] = sum(a == 'fake' for a in said) / len(said)\nreturn rates",
     "hint": "a generated image called real"},
    {"exercise": "def fooling_rates(", "block": 0,
     "code": "rates = {}\nfor model in sorted(set(kinds)):\n"
             "    said = [a for k, a in zip(kinds, answers) if k == model]\n"
             "    rates[model] = sum(a == 'real' for a in said) / len(said)\nreturn rates",
     "hint": "leave 'real' out"},
]
