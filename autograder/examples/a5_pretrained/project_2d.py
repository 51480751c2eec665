"""project_2d variants (a5_pretrained): correct ways written differently, and real misconceptions."""
import torch

EXPECTED_FAILURES = {
    'wrong_not_centred': {'project_2d_basic', 'project_2d_centred', 'project_2d_order'},
    'wrong_eigh_ascending': {'project_2d_basic', 'project_2d_centred', 'project_2d_order'},
    'wrong_first_two_columns': {'project_2d_basic', 'project_2d_centred', 'project_2d_order'},
    'wrong_returns_float64': {'project_2d_dtype'},
    'wrong_no_size_check': {'project_2d_errors'},
    'wrong_centres_in_place': {'project_2d_dtype'},
}


def correct_eigh(vectors):
    if vectors.shape[0] < 2:
        raise ValueError("project_2d needs at least two rows")
    centred = vectors - vectors.mean(dim=0)
    covariance = centred.T @ centred / (vectors.shape[0] - 1)
    values, directions = torch.linalg.eigh(covariance.double())  # ascending eigenvalues
    top = directions[:, [-1, -2]].to(vectors.dtype)
    return centred @ top


def correct_pca_lowrank(vectors):
    n = vectors.shape[0]
    if n < 2:
        raise ValueError(f"need n >= 2 rows, got {n}")
    mean = vectors.mean(dim=0, keepdim=True)
    _, _, v = torch.linalg.svd((vectors - mean).double(), full_matrices=False)
    return ((vectors - mean).double() @ v[:2].T).float()


def correct_u_times_s(vectors):
    if len(vectors) < 2:
        raise ValueError("at least 2 rows")
    centred = vectors - vectors.mean(0)
    u, s, _ = torch.linalg.svd(centred, full_matrices=False)
    return u[:, :2] * s[:2]


def wrong_not_centred(vectors):
    """Skips the centring: the first direction points at the mean, not along the spread."""
    if vectors.shape[0] < 2:
        raise ValueError("need at least 2 rows")
    _, _, vh = torch.linalg.svd(vectors, full_matrices=False)
    return vectors @ vh[:2].T


def wrong_eigh_ascending(vectors):
    """Takes eigh's first two eigenvectors: eigh sorts ascending, so these are the smallest variances."""
    if vectors.shape[0] < 2:
        raise ValueError("need at least 2 rows")
    centred = vectors - vectors.mean(dim=0)
    _, directions = torch.linalg.eigh(centred.T @ centred)
    return centred @ directions[:, :2]


def wrong_first_two_columns(vectors):
    """Keeps the first two coordinates of the centred rows (a projection, but not the principal one)."""
    if vectors.shape[0] < 2:
        raise ValueError("need at least 2 rows")
    return (vectors - vectors.mean(dim=0))[:, :2]


def wrong_returns_float64(vectors):
    """Computes in float64 for accuracy and forgets to convert back."""
    if vectors.shape[0] < 2:
        raise ValueError("need at least 2 rows")
    centred = vectors.double() - vectors.double().mean(dim=0)
    _, _, vh = torch.linalg.svd(centred, full_matrices=False)
    return centred @ vh[:2].T


def wrong_no_size_check(vectors):
    """Never checks n: one row gives a (1, 2) result of zeros or an SVD error instead of ValueError."""
    centred = vectors - vectors.mean(dim=0)
    _, _, vh = torch.linalg.svd(centred, full_matrices=False)
    return centred @ vh[:2].T


def wrong_centres_in_place(vectors):
    """Centres the caller's tensor in place."""
    if vectors.shape[0] < 2:
        raise ValueError("need at least 2 rows")
    vectors -= vectors.mean(dim=0)
    _, _, vh = torch.linalg.svd(vectors, full_matrices=False)
    return vectors @ vh[:2].T
