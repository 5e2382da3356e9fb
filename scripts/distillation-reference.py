#!/usr/bin/python3
# The experiment of notebooks/05-distillation.ipynb written in PyTorch (Debian's python3-torch),
# to tell a defect of Trainbook's distillation from what the recipe itself does: Hinton's
# teacher (784-1200-1200-10, dropout 0.5 after each hidden layer, optionally 20 % on the input)
# and a 784-32-10 student on Fashion-MNIST (/usr/share/datasets/fashion-mnist), Adam, batch 128,
# the student trained alone and distilled with the loss
#   alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, y),
# the teacher's logits computed once in evaluation mode. Prints each seed and mean ± s.d.
#
#   scripts/distillation-reference.py --teacher-epochs 5 --student-epochs 10 --T 1 2 4 8
#
# Not run by the tests (a full run takes minutes to an hour on two shared cores); the trained
# teacher is cached in $TMPDIR so that further student settings reuse it.
import argparse, gzip, json, os, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
p = argparse.ArgumentParser()
p.add_argument('--teacher-epochs', type=int, default=5)
p.add_argument('--student-epochs', type=int, default=10)
p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--student-lr', type=float, default=None)
p.add_argument('--T', type=float, nargs='*', default=[4.0])
p.add_argument('--alpha', type=float, default=0.9)
p.add_argument('--seeds', type=int, nargs='*', default=[1, 2, 3])
p.add_argument('--hidden', type=int, default=32)
p.add_argument('--input-dropout', type=float, default=0.0)
p.add_argument('--val', action='store_true', help='hold out the last 10k training images as test')
p.add_argument('--threads', type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
D = '/usr/share/datasets/fashion-mnist/'
def idx(name, off):
    return np.frombuffer(gzip.open(D + name).read(), np.uint8, offset=off)
xtr = torch.tensor(idx('train-images-idx3-ubyte.gz', 16).reshape(-1, 784) / 255.0, dtype=torch.float32)
ytr = torch.tensor(idx('train-labels-idx1-ubyte.gz', 8).astype(np.int64))
xte = torch.tensor(idx('t10k-images-idx3-ubyte.gz', 16).reshape(-1, 784) / 255.0, dtype=torch.float32)
yte = torch.tensor(idx('t10k-labels-idx1-ubyte.gz', 8).astype(np.int64))
if a.val:
    xte, yte = xtr[50000:], ytr[50000:]
    xtr, ytr = xtr[:50000], ytr[:50000]
def acc(m, x, y):
    m.eval()
    with torch.no_grad(): return (m(x).argmax(1) == y).float().mean().item()
def train(m, epochs, lr, teacher_logits=None, T=4.0, alpha=0.9, seed=0):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(m.parameters(), lr=lr)
    for e in range(epochs):
        m.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 128):
            b = perm[i:i + 128]
            out = m(xtr[b])
            ce = F.cross_entropy(out, ytr[b])
            if teacher_logits is None:
                loss = ce
            else:
                kl = F.kl_div(F.log_softmax(out / T, 1), F.softmax(teacher_logits[b] / T, 1), reduction='batchmean') * T * T
                loss = alpha * kl + (1 - alpha) * ce
            opt.zero_grad(); loss.backward(); opt.step()
    return m
cache = os.environ.get('TMPDIR', '/tmp') + f'/distillation-reference-teacher-e{a.teacher_epochs}-d{a.input_dropout}-lr{a.lr}-val{int(a.val)}.pt'
torch.manual_seed(0)
t0 = time.time()
teacher = nn.Sequential(nn.Dropout(a.input_dropout), nn.Linear(784, 1200), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1200, 1200), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1200, 10))
if os.path.exists(cache):
    teacher.load_state_dict(torch.load(cache))
else:
    train(teacher, a.teacher_epochs, a.lr, seed=0)
    torch.save(teacher.state_dict(), cache)
ta = acc(teacher, xte, yte)
teacher.eval()
with torch.no_grad(): tl = teacher(xtr)
print(f'teacher {a.teacher_epochs} epochs: {ta:.4f} ({time.time()-t0:.0f}s)', flush=True)
slr = a.student_lr or a.lr
def student(s):
    torch.manual_seed(s)
    return nn.Sequential(nn.Linear(784, a.hidden), nn.ReLU(), nn.Linear(a.hidden, 10))
res = {'teacher': ta, 'alone': [], 'distilled': {}}
for s in a.seeds:
    res['alone'].append(acc(train(student(s), a.student_epochs, slr, seed=s), xte, yte))
    for T in a.T:
        res['distilled'].setdefault(str(T), []).append(acc(train(student(s), a.student_epochs, slr, tl, T, a.alpha, seed=s), xte, yte))
    print('seed', s, res['alone'][-1], {k: v[-1] for k, v in res['distilled'].items()}, flush=True)
def ms(v): v = np.array(v); return f'{100*v.mean():.2f} ± {100*v.std(ddof=1) if len(v)>1 else 0:.2f}'
print(vars(a))
print('alone', ms(res['alone']))
for k, v in res['distilled'].items(): print('T', k, ms(v), 'gain', f'{100*(np.mean(v)-np.mean(res["alone"])):+.2f}')
print(json.dumps(res))
