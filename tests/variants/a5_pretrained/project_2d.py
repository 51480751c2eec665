"""project_2d variants (a5_pretrained): correct ways written differently, and real misconceptions."""
import torch

EXPECTED_FAILURES = {
    'wrong_not_centred': {'project_2d_basic', 'project_2d_centred'},
    'wrong_eigh_ascending': {'project_2d_basic', 'project_2d_order'},
    'wrong_eigh_last_two_ascending': {'project_2d_basic', 'project_2d_order'},
    'wrong_first_two_columns': {'project_2d_basic'},
    'wrong_returns_float64': {'project_2d_dtype'},
    'wrong_no_size_check': {'project_2d_errors'},
    'wrong_centres_in_place': {'project_2d_dtype'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_not_centred': {
        'project_2d_basic': (
            'project_2d(12 random rows of 4 numbers) did not subtract the mean row: centre the rows first '
            '(vectors - vectors.mean(dim=0)), then project'
        ),
        'project_2d_centred': (
            'project_2d([[46.0, 25.0], [38.0, 26.0], [38.0, 26.0], [38.0, 23.0]]) did not subtract the mean '
            'row: centre the rows first (vectors - vectors.mean(dim=0)), then project'
        ),
    },
    'wrong_eigh_ascending': {
        'project_2d_basic': (
            'project_2d(12 random rows of 4 numbers) projected on the two directions of smallest variance: '
            'torch.linalg.eigh lists eigenvalues in ascending order, so take its last two eigenvectors, the '
            'largest first'
        ),
        'project_2d_order': (
            'project_2d(8 centred rows of 4 numbers) projected on the two directions of smallest variance: '
            'torch.linalg.eigh lists eigenvalues in ascending order, so take its last two eigenvectors, the '
            'largest first'
        ),
    },
    'wrong_eigh_last_two_ascending': {
        'project_2d_basic': (
            'project_2d(12 random rows of 4 numbers) put the second principal direction in column 0: column 0 '
            'is the direction of largest variance (torch.linalg.eigh lists eigenvalues in ascending order, so '
            'its last eigenvector comes first)'
        ),
        'project_2d_order': (
            'project_2d(8 centred rows of 4 numbers) put the second principal direction in column 0: column 0 '
            'is the direction of largest variance (torch.linalg.eigh lists eigenvalues in ascending order, so '
            'its last eigenvector comes first)'
        ),
    },
    'wrong_first_two_columns': {
        'project_2d_basic': (
            'project_2d(12 random rows of 4 numbers) kept the first two coordinates of the centred rows: '
            'project them on the two principal directions instead (e.g. the top two right singular vectors of '
            'the centred rows)'
        ),
    },
    'wrong_returns_float64': {
        'project_2d_dtype': (
            'project_2d of float32 rows returned float64; it should return float32 (if you compute in '
            'float64, convert the result back)'
        ),
    },
    'wrong_no_size_check': {
        'project_2d_errors': (
            'project_2d of 1 row(s) should raise ValueError (it needs n >= 2), but raised no exception'
        ),
    },
    'wrong_centres_in_place': {
        'project_2d_dtype': (
            'project_2d changed the vectors tensor it was given (an in-place operation such as -= or '
            '.sub_()): leave its input unchanged and compute a new tensor'
        ),
    },
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


def wrong_eigh_last_two_ascending(vectors):
    """Takes eigh's last two eigenvectors, the right directions, but keeps eigh's ascending order:
    column 0 is then the second direction and column 1 the first."""
    if vectors.shape[0] < 2:
        raise ValueError("need at least 2 rows")
    centred = vectors - vectors.mean(dim=0)
    _, directions = torch.linalg.eigh(centred.T @ centred)
    return centred @ directions[:, -2:]


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
