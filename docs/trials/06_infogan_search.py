"""Trial behind 06_infogan §4's choices at quick scale (widths, steps, batch, categorical weight, Q's optimiser).

A standalone replica of the notebook's InfoGAN (same G, D/Q trunk and heads, latent, information terms
and step wiring; its latent sampler draws its random numbers in a different order, so its figures are
not bit-identical to the notebook's). It trains one variant on the bundled digits and prints, six
times during training, (step, CPU seconds, L_I in nats, Hungarian and majority accuracy of Q's
argmax on the 999 validation digits), then the test-digit accuracies as one JSON line (also
appended to results/trials/06_infogan_search.jsonl).

    OMP_NUM_THREADS=1 .venv/bin/python docs/trials/06_infogan_search.py NAME SEED STEPS [key=value ...]

keys: w (conv width, default 32), fc (FC width, 256), b (batch, 64), lc (weight on the categorical
term, 1), lk (weight on the continuous term, 1), lam (lambda, 1), qd (1: Q in D's optimiser at 2e-4,
as in the released code; 0: Q in G's optimiser at 1e-3, as many ports do). Example (run "B"):

    OMP_NUM_THREADS=1 .venv/bin/python docs/trials/06_infogan_search.py B 0 3500 w=16 fc=128

Validation accuracy is printed to watch a run, never to choose a checkpoint: the reported figure is
the last step's test accuracy.
"""
from pathlib import Path
import sys, time, json, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from scipy.optimize import linear_sum_assignment
from gan_utils.data import Batches, load_dataset
torch.set_num_threads(1)
name, seed, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
opt = dict(a.split("=") for a in sys.argv[4:])
W = int(opt.get("w", 32)); FCW = int(opt.get("fc", 256)); B = int(opt.get("b", 64))
lam_cat = float(opt.get("lc", 1)); lam_con = float(opt.get("lk", 1)); q_with_d = opt.get("qd", "1") == "1"
lam = float(opt.get("lam", 1))
torch.manual_seed(seed)
x_train, y_train = load_dataset("mnist", "train"); x_test, y_test = load_dataset("mnist", "test")
x_val, y_val = load_dataset("mnist", "val")
z_dim, n_cat, n_con = 62, 10, 2
class G_(nn.Module):
    def __init__(s):
        super().__init__()
        s.fc = nn.Sequential(nn.Linear(z_dim+n_cat+n_con, FCW), nn.BatchNorm1d(FCW), nn.ReLU(),
                             nn.Linear(FCW, 2*W*49), nn.BatchNorm1d(2*W*49), nn.ReLU())
        s.up = nn.Sequential(nn.ConvTranspose2d(2*W, W, 4, 2, 1), nn.BatchNorm2d(W), nn.ReLU(),
                             nn.ConvTranspose2d(W, 1, 4, 2, 1), nn.Tanh())
    def forward(s, z, c, k): return s.up(s.fc(torch.cat([z, F.one_hot(c, n_cat).float(), k], 1)).view(-1, 2*W, 7, 7))
class DQ(nn.Module):
    def __init__(s):
        super().__init__()
        s.trunk = nn.Sequential(nn.Conv2d(1, W, 4, 2, 1), nn.LeakyReLU(0.1),
                                nn.Conv2d(W, 2*W, 4, 2, 1), nn.BatchNorm2d(2*W), nn.LeakyReLU(0.1), nn.Flatten(),
                                nn.Linear(2*W*49, FCW), nn.BatchNorm1d(FCW), nn.LeakyReLU(0.1))
        s.d = nn.Linear(FCW, 1)
        s.q = nn.Sequential(nn.Linear(FCW, 128), nn.BatchNorm1d(128), nn.LeakyReLU(0.1), nn.Linear(128, n_cat+n_con))
    def forward(s, x):
        h = s.trunk(x); q = s.q(h)
        return s.d(h).squeeze(1), q[:, :n_cat], q[:, n_cat:]
G, D = G_(), DQ()
adam = lambda ps, lr: torch.optim.Adam(ps, lr=lr, betas=(0.5, 0.999))
if q_with_d:
    opt_D = adam(D.parameters(), 2e-4); opt_G = adam(G.parameters(), 1e-3); opt_Q = None
else:
    opt_D = adam(list(D.trunk.parameters()) + list(D.d.parameters()), 2e-4)
    opt_G = adam(list(G.parameters()) + list(D.q.parameters()), 1e-3)
batches = Batches(x_train, batch_size=B, seed=seed)
def sample_codes(n):
    return torch.randn(n, z_dim).uniform_(-1, 1), torch.randint(0, n_cat, (n,)), torch.rand(n, n_con) * 2 - 1
bce = F.binary_cross_entropy_with_logits
def info_loss(cl, kl, c, k):
    return lam_cat * F.cross_entropy(cl, c) + lam_con * 0.5 * ((kl - k) ** 2).sum(1).mean()
def evaluate_acc(xs, ys):
    D.eval()
    with torch.no_grad(): pred = torch.cat([D(xb)[1].argmax(1) for xb in xs.split(500)]).numpy()
    D.train()
    cnt = np.zeros((10, 10), int); np.add.at(cnt, (pred, ys.numpy()), 1)
    r, cidx = linear_sum_assignment(-cnt)
    return cnt[r, cidx].sum() / len(ys), cnt.max(1).sum() / len(ys)
t0 = time.process_time(); log = []
for i in range(steps):
    x = next(batches)
    if isinstance(x, (tuple, list)): x = x[0]
    z, c, k = sample_codes(B)
    xf = G(z, c, k)
    dr, _, _ = D(x); df, cl, kl = D(xf.detach())
    LI_d = info_loss(cl, kl, c, k)
    ld = bce(dr, torch.ones_like(dr)) + bce(df, torch.zeros_like(df)) + lam * LI_d
    opt_D.zero_grad(); ld.backward(); opt_D.step()
    df, cl, kl = D(xf)
    LI_g = info_loss(cl, kl, c, k)
    lg = bce(df, torch.ones_like(df)) + lam * LI_g
    if q_with_d:
        opt_G.zero_grad(); lg.backward(); opt_G.step()
    else:
        opt_G.zero_grad(); opt_D.zero_grad(); lg.backward(); opt_G.step()
    if (i + 1) % max(1, steps // 6) == 0 or i + 1 == steps:
        LI = math.log(10) - F.cross_entropy(cl, c).item()
        h, m = evaluate_acc(x_val, y_val)
        log.append((i + 1, round(time.process_time() - t0, 1), round(LI, 3), round(float(h), 3), round(float(m), 3)))
        print(name, seed, log[-1], flush=True)
ht, mt = evaluate_acc(x_test, y_test)
res = dict(name=name, seed=seed, steps=steps, opt=opt, cpu=round(time.process_time() - t0, 1), log=log, test_hung=round(float(ht), 3), test_major=round(float(mt), 3))
print(json.dumps(res), flush=True)
out = Path(__file__).resolve().parents[2] / "results" / "trials" / "06_infogan_search.jsonl"
out.parent.mkdir(parents=True, exist_ok=True)
with out.open("a") as f:
    f.write(json.dumps(res) + "\n")
