#!/usr/bin/env python3
"""Which fusion of words and meaning ranks best: asks every question of questions.tsv and paraphrases.tsv
of two servers on the same files, one with Mnemo__Search__Ranking=Lexical and one with Semantic (top_k 50,
min_score 0), then re-ranks offline by each rule and prints recall@5 and MRR@10 per rule and set.
A chunk missing from one side's top 50 counts 0 on that side.

    bench/search/fusion.py --lexical http://127.0.0.1:18431 --semantic http://127.0.0.1:18432 --admin-token T
"""
import argparse, math, sys
sys.path.insert(0, __import__("os").path.dirname(__file__))
import run


def side(url, admin, rows):
    key = run.make_account(url, admin)
    files = run.upload_licenses(url, key, {r["file"] for r in rows}, timeout=900)
    out = []
    for r in rows:
        body, _ = run.search(url, key, r["question"], 50, 0)
        hits = body["results"]["semantic"]
        answer = run.fold(r["answer"])
        out.append([(h["file_name"], run.fold(h["content"])[:200], h["score"], run.relevant(h, files[r["file"]], answer)) for h in hits])
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lexical", required=True)
    p.add_argument("--semantic", required=True)
    p.add_argument("--admin-token", required=True)
    a = p.parse_args()
    sets = {"questions": run.load("questions"), "paraphrases": run.load("paraphrases")}
    rows = sets["questions"] + sets["paraphrases"]
    lex, sem = side(a.lexical, a.admin_token, rows), side(a.semantic, a.admin_token, rows)

    def rules():
        yield "lexical", lambda l, s, lr, sr: l
        yield "semantic", lambda l, s, lr, sr: s
        yield "max", lambda l, s, lr, sr: max(l, s)
        for k in (10, 60):
            yield f"rrf k={k}", lambda l, s, lr, sr, k=k: (1 / (k + lr) if lr else 0) + (1 / (k + sr) if sr else 0)
        for w in (0.3, 0.5, 0.7):
            yield f"rrf lex weight {w}", lambda l, s, lr, sr, w=w: w * (1 / (60 + lr) if lr else 0) + (1 - w) * (1 / (60 + sr) if sr else 0)
        for w in (0.3, 0.4, 0.5, 0.6, 0.7):
            yield f"{w}·lex + {1 - w:.1f}·sem", lambda l, s, lr, sr, w=w: w * l + (1 - w) * s
        for w in (0.3, 0.5):
            yield f"sem + {w}·lex", lambda l, s, lr, sr, w=w: s + w * l

    print("| rule | questions recall@5 | MRR@10 | paraphrases recall@5 | MRR@10 |")
    print("|---|---|---|---|---|")
    for name, rule in rules():
        cells = []
        for set_name in ("questions", "paraphrases"):
            offset = 0 if set_name == "questions" else len(sets["questions"])
            r5 = mrr = 0
            for i in range(len(sets[set_name])):
                cand = {}
                for rank, (f, c, score, rel) in enumerate(lex[offset + i], 1):
                    cand[(f, c)] = [score, 0.0, rank, None, rel]
                for rank, (f, c, score, rel) in enumerate(sem[offset + i], 1):
                    e = cand.setdefault((f, c), [0.0, 0.0, None, None, rel])
                    e[1], e[3] = score, rank
                order = sorted(cand.values(), key=lambda e: -rule(e[0], e[1], e[2], e[3]))
                rank = next((j for j, e in enumerate(order, 1) if e[4]), None)
                r5 += 1 if rank and rank <= 5 else 0
                mrr += 1 / rank if rank and rank <= 10 else 0
            n = len(sets[set_name])
            cells += [f"{r5 / n:.3f}", f"{mrr / n:.3f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
