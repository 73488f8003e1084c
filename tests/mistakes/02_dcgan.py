"""Plausible wrong answers for 02_dcgan's exercises; each must fail its self-check with the hint."""
MISTAKES = [
    # Exercise 1: a transposed convolution on a 1x1 input as a matrix
    {"exercise": "def as_matrix(", "block": 0,
     "code": "c_in, c_out, k, _ = weight.shape\nreturn weight.reshape(c_in, c_out * k * k), bias",
     "hint": "added at all k·k positions"},
    {"exercise": "def as_matrix(", "block": 0,
     "code": "c_in, c_out, k, _ = weight.shape\n"
             "return weight.permute(0, 2, 3, 1).reshape(c_in, -1), bias.repeat(k * k)",
     "hint": "keep the order (output channel, row, column)"},
    {"exercise": "def as_matrix(", "block": 0,
     "code": "c_in, c_out, k, _ = weight.shape\n"
             "return weight.transpose(0, 1).reshape(c_out * k * k, c_in), bias.repeat_interleave(k * k)",
     "hint": "one row per input channel"},
    # Exercise 2: an edit that keeps |z|
    {"exercise": "def edit_on_sphere(", "block": 0,
     "code": "return z + alpha * v",
     "hint": "rescale to the length of *that* row of z"},
    {"exercise": "def edit_on_sphere(", "block": 0,
     "code": "moved = z + alpha * v\nreturn moved / moved.norm(dim=1, keepdim=True) * math.sqrt(z.shape[1])",
     "hint": "not to the typical length sqrt(d)"},
    {"exercise": "def edit_on_sphere(", "block": 0,
     "code": "moved = z + alpha * v\nreturn moved * (moved.norm(dim=1, keepdim=True) / z.norm(dim=1, keepdim=True))",
     "hint": "rescale to the length of *that* row of z"},
    {"exercise": "def edit_on_sphere(", "block": 0,
     "code": "return z * (z.norm(dim=1, keepdim=True) / z.norm(dim=1, keepdim=True))",
     "hint": "first add alpha·v, then rescale"},
    # Exercise 3: mean pairwise distance
    {"exercise": "def mean_pairwise_distance(", "block": 0,
     "code": "flat = x.flatten(1)\nreturn float(torch.cdist(flat, flat).mean())",
     "hint": "leave out each image's distance to itself"},
    {"exercise": "def mean_pairwise_distance(", "block": 0,
     "code": "flat = x.flatten(1)\nn = len(flat)\nreturn float((torch.cdist(flat, flat) ** 2).sum() / (n * (n - 1)))",
     "hint": "not its square"},
]
