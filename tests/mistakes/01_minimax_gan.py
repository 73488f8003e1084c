"""Plausible wrong answers for 01_minimax_gan's exercises; each must fail its self-check with the hint."""
MISTAKES = [
    # Exercise 1: optimal_d_loss
    {"exercise": "def optimal_d_loss(", "block": 0,
     "code": "return math.log(4)",                      # "a d_loss near log 4 is what D reaches": D* taken as 1/2
     "hint": "it changes with x"},
    {"exercise": "def optimal_d_loss(", "block": 0,
     "code": "d_star = pg / (pd + pg).clamp_min(1e-300)\n"
             "return float((-torch.xlogy(pd, d_star) - torch.xlogy(pg, 1 - d_star)).sum() * dx)",
     "hint": "the data's density is on top"},
    {"exercise": "def optimal_d_loss(", "block": 0,
     "code": "d_star = pd / (pd + pg).clamp_min(1e-300)\n"
             "return float((-torch.xlogy(pd, d_star) - torch.xlogy(pg, 1 - d_star)).sum())",
     "hint": "multiply by the grid step dx"},
    {"exercise": "def optimal_d_loss(", "block": 0,
     "code": "d_star = pd / (pd + pg)\n"
             "return float((-pd * torch.log(d_star) - pg * torch.log(1 - d_star)).sum() * dx)",
     "hint": "0 · log 0 = 0"},
    # Exercise 2: d_star_gauss
    {"exercise": "def d_star_gauss(", "block": 0,
     "code": "p1 = torch.exp(-((x - mu1) ** 2) / (2 * s1**2)) / (s1 * math.sqrt(2 * math.pi))\n"
             "p2 = torch.exp(-((x - mu2) ** 2) / (2 * s2**2)) / (s2 * math.sqrt(2 * math.pi))\n"
             "return p1 / (p1 + p2)",
     "hint": "go through the log-odds"},
    {"exercise": "def d_star_gauss(", "block": 0,
     "code": "return torch.sigmoid(-((x - mu1) ** 2) / (2 * s1**2) + ((x - mu2) ** 2) / (2 * s2**2))",
     "hint": "keeps its -log s term"},
    {"exercise": "def d_star_gauss(", "block": 0,
     "code": "def log_normal(x, mu, s):\n"
             "    return -((x - mu) ** 2) / (2 * s**2) - math.log(s)\n"
             "return torch.sigmoid(log_normal(x, mu2, s2) - log_normal(x, mu1, s1))",
     "hint": "D* is the probability of the data"},
    # Exercise 3: gradient_ratio
    {"exercise": "def gradient_ratio(", "block": 0,
     "code": "return (1 - d) / d",
     "hint": "the saturating loss's gradient goes on top"},
    {"exercise": "def gradient_ratio(", "block": 0,
     "code": "return d",
     "hint": "the non-saturating one, which is 1 - d in size, is the denominator"},
    # Exercise 4: mean_after
    {"exercise": "def mean_after(", "block": 0,
     "code": "h = race(g_loss_nonsaturating, k=k, steps=steps)\nreturn float(h.snapshots[-1][1].mean())",
     "hint": "run the *saturating* race"},
    {"exercise": "def mean_after(", "block": 0,
     "code": "h = race(g_loss_saturating, k=k, steps=steps)\nreturn float(h.snapshots[0][1].mean())",
     "hint": "in the *last* snapshot"},
]
