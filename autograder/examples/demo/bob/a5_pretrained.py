"""Bob's a5_pretrained: the ideas are right, the details are not.

- normalize_rows divides by the norm with no guard, so a zero row becomes NaN;
- nearest asks topk for k + 1 rows and drops the first, assuming it is the word itself
  (wrong when another word has the same vector, and topk's order among ties is not
  the index order);
- analogy adds the raw rows b - a + c instead of unit rows, so long vectors dominate, and
  leaves out a, b and c by giving them a score of -inf, so a k beyond the other words lists them;
- project_2d is right, but never checks that there are at least two rows;
- direction_scores sums each list's unit rows instead of averaging them;
- quiz 3: he thinks the bias comes from the random initialisation.
"""
import torch
import torch.nn.functional as F


def normalize_rows(vectors):
    return vectors / vectors.norm(dim=1, keepdim=True)


def nearest(word, vocab, vectors, k=5):
    if k < 1:
        raise ValueError("k must be at least 1")
    unit = F.normalize(vectors, dim=1)
    scores = unit @ unit[vocab[word]]
    top = torch.topk(scores, min(k + 1, len(scores)))
    words = {i: w for w, i in vocab.items()}
    return [(words[i], s) for s, i in zip(top.values.tolist()[1:], top.indices.tolist()[1:])]


def analogy(a, b, c, vocab, vectors, k=1):
    query = vectors[vocab[b]] - vectors[vocab[a]] + vectors[vocab[c]]
    scores = F.cosine_similarity(vectors, query.unsqueeze(0), dim=1)
    for word in (a, b, c):
        scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    words = {i: w for w, i in vocab.items()}
    return [(words[i], scores[i].item()) for i in order]


def project_2d(vectors):
    centred = vectors - vectors.mean(dim=0)
    _, _, vh = torch.linalg.svd(centred, full_matrices=False)
    return centred @ vh[:2].T


def direction_scores(words, negative, positive, vocab, vectors):
    if not negative or not positive:
        raise ValueError("need words at both ends")
    unit = F.normalize(vectors, dim=1)
    axis = unit[[vocab[w] for w in positive]].sum(0) - unit[[vocab[w] for w in negative]].sum(0)
    axis = axis / axis.norm()
    return [float(unit[vocab[w]] @ axis) for w in words]


quiz_antonyms_close = "c"
quiz_exclude_inputs = "b"
quiz_bias_source = "d"

# The test cells Bob must fail, and so his exact score.
EXPECTED_FAILURES = {
    "normalize_rows_zero_row",
    "nearest_excludes_word",
    "nearest_ties",
    "analogy_unit_rows",
    "analogy_glove",
    "analogy_excludes_inputs",
    "project_2d_errors",
    "direction_scores_means",
    "quiz_bias_source_answer",
}
