"""Plausible wrong answers for 07_fgan's exercises; each must fail its self-check with the hint."""
MISTAKES = [
    # Exercise 1: Neyman chi-squared conjugate, f*(t) = 2 - 2 sqrt(1 - t)
    {"exercise": "def neyman_conj(", "code": "return -2 * torch.sqrt(1 - t)",
     "hint": "check the constant term"},
    {"exercise": "def neyman_conj(", "code": "return 1 - torch.sqrt(1 - t)",
     "hint": "check the factor in front"},
    {"exercise": "def neyman_conj(", "code": "return 2 - 2 * torch.sqrt(1 + t)",
     "hint": "the sign inside the root"},
    {"exercise": "def neyman_conj(", "code": "return t**2 / 4 + t",
     "hint": "not another row's conjugate"},
    # Exercise 2: total variation's output activation, 0.5 tanh(v)
    {"exercise": "def tv_activation(", "code": "return torch.tanh(v)",
     "hint": "scale the squashing function"},
    {"exercise": "def tv_activation(", "code": "return 0.5 * torch.sigmoid(v)",
     "hint": "takes negative values too"},
    # Exercise 3: raw output of the optimal squared-Hellinger critic, (log p - log q) / 2
    {"exercise": "def hellinger_v_star(", "code": "return 1 - torch.sqrt(q / p)",
     "hint": "invert g_f"},
    {"exercise": "def hellinger_v_star(", "code": "return torch.log(p) - torch.log(q)",
     "hint": "a factor 1/2 in logs"},
    {"exercise": "def hellinger_v_star(", "code": "return 0.5 * (torch.log(q) - torch.log(p))",
     "hint": "check the order of p and q"},
]
