"""Plausible wrong answers for 03_cgan's exercises; each must fail its self-check with the hint.

Format and rules: tests/test_notebook_exercises.py (and docs/INSTRUCTORS.md, "Exercises").
"""
MISTAKES = [
    # Exercise 1: projection_logit
    {"exercise": "def projection_logit(",
     "code": "return h @ w + (E[:, y].T * h).sum(dim=1)",          # a column of E, not a row
     "hint": "row y of E"},
    {"exercise": "def projection_logit(",
     "code": "return (E[y] * h).sum(dim=1)",
     "hint": "the w term"},
    {"exercise": "def projection_logit(",
     "code": "return h @ w + (E[y] * h).sum()",                    # one sum over the whole batch
     "hint": "one dot product per row"},
    # Exercise 2: interpolate_labels
    {"exercise": "def interpolate_labels(",
     "code": "t = torch.linspace(0, 1, n, device=z.device)[:, None, None, None]\n"
             "with torch.no_grad():\n"
             "    x_a = G(z.expand(n, -1), torch.full((n,), a, device=z.device))\n"
             "    x_b = G(z.expand(n, -1), torch.full((n,), b, device=z.device))\n"
             "return (1 - t) * x_a + t * x_b",                     # a cross-fade of two images
     "hint": "mix the embeddings, not the images"},
    {"exercise": "def interpolate_labels(",
     "code": "t = torch.arange(n, device=z.device)[:, None] / n\n"
             "e = (1 - t) * G.embed.weight[a] + t * G.embed.weight[b]\n"
             "with torch.no_grad():\n"
             "    return G.generate(z.expand(n, -1), e)",
     "hint": "exactly at class b"},
    {"exercise": "def interpolate_labels(",
     "code": "t = torch.linspace(0, 1, n, device=z.device)[:, None]\n"
             "e = t * G.embed.weight[a] + (1 - t) * G.embed.weight[b]\n"
             "with torch.no_grad():\n"
             "    return G.generate(z.expand(n, -1), e)",
     "hint": "starts at class a"},
    # Exercise 3: conditional_accuracy
    {"exercise": "def conditional_accuracy(",
     "code": "verdict = probs.argmax(dim=1)\n"
             "hits = ((verdict == requested) & (probs.amax(dim=1) >= threshold)).float()\n"
             "per = torch.tensor([hits[verdict == c].mean().item() if (verdict == c).any() else float('nan')\n"
             "                    for c in range(n_classes)])\n"
             "return hits.mean().item(), per",                      # grouped by the judge's verdict
     "hint": "requested as c, not those the judge called c"},
    {"exercise": "def conditional_accuracy(",
     "code": "verdict = probs.argmax(dim=1)\n"
             "hits = ((verdict == requested) & (probs.amax(dim=1) >= threshold)).float()\n"
             "per = torch.tensor([hits[requested == c].mean().item() if (requested == c).any() else 0.0\n"
             "                    for c in range(n_classes)])\n"
             "return hits.mean().item(), per",
     "hint": "nan, not 0"},
    {"exercise": "def conditional_accuracy(",
     "code": "verdict = probs.argmax(dim=1)\n"
             "hits = (verdict == requested).float()\n"
             "per = torch.tensor([hits[requested == c].mean().item() if (requested == c).any() else float('nan')\n"
             "                    for c in range(n_classes)])\n"
             "return hits.mean().item(), per",                      # the threshold ignored
     "hint": "confidence below the threshold"},
    {"exercise": "def conditional_accuracy(",
     "code": "verdict = probs.argmax(dim=1)\n"
             "hits = ((verdict == requested) & (probs.amax(dim=1) >= threshold)).float()\n"
             "per = torch.tensor([hits[requested == c].mean().item() if (requested == c).any() else float('nan')\n"
             "                    for c in range(n_classes)])\n"
             "return per.nanmean().item(), per",                    # mean of the class rates
     "hint": "fraction of all samples"},
    # Exercise 4: wrong_label_probs
    {"exercise": "def wrong_label_probs(",
     "code": "with torch.no_grad():\n"
             "    p_true = torch.sigmoid(D(x, y)).mean().item()\n"
             "    p_wrong = torch.sigmoid(D(x, (y + shift) % n_classes)).mean().item()\n"
             "return p_true, p_wrong",                              # D left in training mode
     "hint": "D.eval()"},
    {"exercise": "def wrong_label_probs(",
     "code": "D.eval()\n"
             "with torch.no_grad():\n"
             "    p_true = torch.sigmoid(D(x, y).mean()).item()\n"
             "    p_wrong = torch.sigmoid(D(x, (y + shift) % n_classes).mean()).item()\n"
             "return p_true, p_wrong",                              # sigmoid of the mean logit
     "hint": "mean of the probabilities"},
]
