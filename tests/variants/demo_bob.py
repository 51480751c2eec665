"""What the demo's Bob must lose: the test cells each of his hand-ins fails, and so his exact score.

His hand-ins are ``autograder/demo_submissions/bob/<assignment>.py`` (what ``make demo`` grades);
the end-to-end, exchange and stock-nbgrader tests hold the pipeline to these cells. An
assignment Bob did not hand in has no entry.
"""

EXPECTED_FAILURES = {
    "a1_lookup": {
        "build_vocab_whitespace",
        "build_vocab_empty",  # whitespace-only text must give {}: the same slip again
        "build_vocab_type_error",
        "one_hot_index_range",
        "lookup_via_one_hot_dtype",
        "quiz_one_hot_times_w_answer",
        "quiz_lookup_row_answer",
    },
    # The overwrite slip costs one cell, the repeated-index one (the index-type cell repeats no index).
    "a2_linear": {
        "embedding_to_linear_independent",
        "embedding_weight_grad_repeated",
        "quiz_linear_weight_shape_answer",
    },
    "a3_similarity": {
        "cosine_similarity_zero_vector",
        "cosine_similarity_length_mismatch",
        "most_similar_ties",
        "quiz_zero_vector_answer",
    },
    "a5_pretrained": {
        "normalize_rows_zero_row",
        "nearest_excludes_word",
        "nearest_ties",
        "analogy_unit_rows",
        "analogy_glove",
        "analogy_excludes_inputs",
        "project_2d_errors",
        "direction_scores_means",
        "quiz_bias_source_answer",
    },
    "a6_pretraining": {
        "mask_tokens_basic",
        "mask_tokens_actions",
        "tied_logits_gradients",
        "mlm_loss_basic",
        "mlm_loss_ignores_unlabelled",
        "mlm_loss_gradient",
        "copy_pretrained_rows_missing",
        "quiz_frozen_answer",
    },
}
