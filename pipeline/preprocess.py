"""Page image clean-up before Tesseract, chosen per page from measurements of the scan.

`measure_page` looks at the page (resolution, colour ink, paper shading, ink contrast, speckle, skew);
`choose_recipe` turns the measures into the steps worth running; `apply_recipe` runs them:
coloured ink (seals, signatures) suppressed, upscaling of low-dpi pages, illumination and contrast
normalisation, speckle and border removal, deskew, and optionally adaptive (Sauvola-like) binarisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

TARGET_DPI = 300  # Tesseract reads body text best at about 300 dpi
MIN_DPI = 250  # upscale pages below this resolution
MAX_UPSCALE = 4.0
COLOUR_SATURATION = 60  # max - min channel above this: a pixel of coloured ink
COLOUR_SHARE = 0.002  # this share of coloured pixels: suppress coloured ink
COLOUR_LIFT = 0.7  # coloured ink is brightened by this many times its chroma (max - min channel)
CHROMA_REACH = 3  # pixels: JPEG keeps chroma at half resolution, so a stroke's chroma is taken over this window
SHADING_SPREAD = 12  # paper grey levels varying by more than this: normalise illumination
SPECKLE_PER_MPX = 2.0  # isolated dots per megapixel above this: despeckle
MAX_SPECK_AREA_300DPI = 150  # pixels at 300 dpi: a dot of dust, not a letter
PUNCTUATION_REACH_300DPI = 45  # pixels at 300 dpi: a full stop this close after letters on its line is kept...
LETTER_BODY = 4  # ...when the ink left of it also rises this many dot heights above the dot's foot
FOOTNOTE_MARK_300DPI = 12  # pixels at 300 dpi: a raised number this tall this close before a word is kept
DUST_SHARE = 0.5  # on a solid-ink page, a dot under this share of the median dot's area is dust, even beside text
MIN_DOTS = 20  # dots needed to know the median dot (periods, i-dots, tone marks)
INK_PERCENTILE = 5  # normalisation stretches this percentile of the darker pixels to black
INK_STROKE_PERCENTILE = 20  # the darker text strokes: this percentile of the stroke pixels' grey levels
FADED_INK = 80  # text ink paler than this grey level: a faded copy
DARK_SPECK_SHARE = 0.6  # on a faded copy, dots darker than this share of the ink's grey level are toner specks
MIN_SKEW_DEG = 0.15  # rotate pages skewed by more than this
MAX_SKEW_DEG = 5.0
SKEW_STEP_DEG = 0.05


@dataclass(frozen=True)
class PageMeasures:
    """What the scan of one page looks like."""

    dpi: float
    colour_share: float  # share of pixels in coloured (non-grey) ink
    shading: float  # spread of the paper's grey level across the page
    ink: float  # grey level of the darker text strokes (0 black)
    speckle_per_mpx: float  # isolated dots per megapixel
    skew_deg: float  # text line angle, counter-clockwise


@dataclass(frozen=True)
class Recipe:
    """The clean-up steps to run on one page."""

    dpi: float = TARGET_DPI  # the resolution of the page the recipe is for
    suppress_colour: bool = False
    scale: float = 1.0
    normalise: bool = False
    despeckle: bool = False
    dark_specks_below: int = 0  # on a faded copy, dots darker than this grey level are toner specks
    deskew_deg: float = 0.0
    binarise: bool = False

    def describe(self) -> str:
        """A short tag for logs and the page cache, e.g. "colour+x2.0+norm+despeckle+deskew(-0.6)"."""
        steps = [
            "colour" if self.suppress_colour else "",
            f"x{self.scale:.1f}" if self.scale != 1 else "",
            "norm" if self.normalise else "",
            "despeckle" if self.despeckle else "",
            f"dark({self.dark_specks_below})" if self.dark_specks_below else "",
            f"deskew({self.deskew_deg:.2f})" if self.deskew_deg else "",
            "binarise" if self.binarise else "",
        ]
        return "+".join(s for s in steps if s) or "none"


def measure_page(image: Image.Image, dpi: float) -> PageMeasures:
    """Measure a page image (any mode) at its resolution `dpi`."""
    colour_share = 0.0
    if image.mode == "RGB":
        rgb = np.asarray(image)
        spread = rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2)
        colour_share = float((spread > COLOUR_SATURATION).mean())
    grey = np.asarray(image.convert("L"))
    background = estimate_background(grey, dpi)
    shading = float(np.percentile(background, 95) - np.percentile(background, 5))
    binary = binarise_otsu(normalise_illumination(grey, background))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    strokes = (labels > 0) & ~find_small_dots(stats, dpi)[labels]  # the text, without dots of dust
    ink = float(np.percentile(grey[strokes], INK_STROKE_PERCENTILE)) if strokes.any() else 255.0
    return PageMeasures(dpi, colour_share, shading, ink, count_specks(binary, dpi) / (grey.size / 1e6),
                        estimate_skew(binary, dpi))  # fmt: skip


def choose_recipe(measures: PageMeasures) -> Recipe:
    """The steps that the measures call for."""
    scale = 1.0
    if measures.dpi < MIN_DPI:
        scale = min(TARGET_DPI / measures.dpi, MAX_UPSCALE)
    deskew = measures.skew_deg if abs(measures.skew_deg) >= MIN_SKEW_DEG else 0.0
    return Recipe(
        dpi=measures.dpi,
        suppress_colour=measures.colour_share >= COLOUR_SHARE,
        scale=round(scale, 2),
        normalise=measures.shading > SHADING_SPREAD or measures.ink > 60,
        despeckle=measures.speckle_per_mpx > SPECKLE_PER_MPX,
        dark_specks_below=round(measures.ink * DARK_SPECK_SHARE) if measures.ink > FADED_INK else 0,
        deskew_deg=round(deskew, 2),
    )


def apply_recipe(image: Image.Image, recipe: Recipe, max_pixels: int) -> Image.Image:
    """Run a recipe on a page image; returns an 8-bit greyscale (or bilevel-valued) image."""
    if recipe.suppress_colour and image.mode == "RGB":
        grey = suppress_coloured_ink(np.asarray(image), recipe.dpi)
    else:
        grey = np.asarray(image.convert("L"))
    scale = min(recipe.scale, (max_pixels / grey.size) ** 0.5)
    dpi = recipe.dpi
    if scale > 1.01:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        dpi *= scale
    specks = find_dark_specks(grey, recipe.dark_specks_below, dpi) if recipe.dark_specks_below else None
    if recipe.normalise:
        grey = normalise_illumination(grey, estimate_background(grey, dpi))
    if specks is not None:
        grey = cv2.inpaint(grey, specks.astype(np.uint8), 3, cv2.INPAINT_TELEA)  # a speck on a stroke leaves no hole
    if recipe.despeckle:
        grey = remove_specks(grey, dpi, dust=not recipe.dark_specks_below)
    if recipe.deskew_deg:
        grey = rotate_image(grey, recipe.deskew_deg)
    if recipe.binarise:
        grey = binarise_adaptive(grey, dpi)
    return Image.fromarray(grey)


def suppress_coloured_ink(rgb: np.ndarray, dpi: float) -> np.ndarray:
    """Greyscale in which red, blue or green ink (seals, signatures) turns to paper and black text stays dark.

    Each pixel is its lightest channel brightened by COLOUR_LIFT times the strongest chroma (max - min) within
    CHROMA_REACH pixels: a pale red seal stroke, its JPEG-blurred rim included, becomes paper, while grey ink
    under the seal (dimmed in green and blue, not in red) stays darker than the paper. The lift stops at the
    paper's own grey level around the seal (read on the uncoloured pixels' darkest channel): a seal lifted to
    white would leave a dark halo once the page's illumination is normalised.
    """
    brightest, darkest = rgb.max(axis=2), rgb.min(axis=2)
    chroma = cv2.dilate(brightest - darkest, np.ones((CHROMA_REACH, CHROMA_REACH), np.uint8))
    paper = estimate_background(darkest, dpi, exclude=chroma > COLOUR_SATURATION).astype(np.float32)
    top = brightest.astype(np.float32)
    lifted = np.minimum(top + COLOUR_LIFT * chroma, np.maximum(top, paper))
    return np.clip(lifted, 0, 255).astype(np.uint8)


def estimate_background(grey: np.ndarray, dpi: float, exclude: np.ndarray | None = None) -> np.ndarray:
    """The paper's grey level around each pixel: text closed away by a grey dilation, then smoothed.

    Pixels marked in `exclude` (a seal) do not count: they are filled in from the paper around them first.
    """
    small_scale = 50 / dpi  # work at 50 dpi
    small = cv2.resize(grey, None, fx=small_scale, fy=small_scale, interpolation=cv2.INTER_AREA)
    if exclude is not None:
        holes = cv2.resize(exclude.astype(np.uint8) * 255, small.shape[::-1], interpolation=cv2.INTER_AREA)
        small = cv2.inpaint(small, (holes > 0).astype(np.uint8), 3, cv2.INPAINT_TELEA)  # any excluded pixel: a hole
    closed = cv2.dilate(small, np.ones((5, 5), np.uint8))
    smooth = cv2.GaussianBlur(closed, (0, 0), 3)
    return cv2.resize(smooth, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)


def normalise_illumination(grey: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Divide out the paper shading and stretch the ink to black: paper 255, strokes near 0."""
    ratio = grey.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)
    flat = np.clip(ratio * 255.0, 0, 255)
    ink = np.percentile(flat[flat < 200], INK_PERCENTILE) if (flat < 200).any() else 0.0
    stretched = (flat - ink) * (255.0 / max(255.0 - ink, 1.0))
    return np.clip(stretched, 0, 255).astype(np.uint8)


def binarise_otsu(grey: np.ndarray) -> np.ndarray:
    """Ink mask (uint8 0/1) by Otsu's global threshold."""
    _, binary = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def binarise_adaptive(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Black text on white by a local mean threshold over a window of about a text line's height."""
    window = int(dpi / 300 * 51) | 1
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, window, 15)


def find_specks(binary: np.ndarray, dpi: float, dust: bool = False) -> np.ndarray:
    """Per label: whether the ink blob is tiny with no other ink within reach, or touches the image border.

    With `dust`, also the dots much smaller than the page's own dots (DUST_SHARE of the median dot's area),
    wherever they are: specks beside words that Tesseract would read as stray dots, commas or quotes.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    tiny = find_small_dots(stats, dpi)
    reach = max(3, round(dpi / 300 * 15))
    _, groups = cv2.connectedComponents(cv2.dilate(binary, np.ones((reach, reach), np.uint8)), connectivity=8)
    group_of = np.zeros(count, np.int64)
    group_of[labels.ravel()] = groups.ravel()  # every pixel of a blob lies in the same dilated group
    members = np.bincount(group_of[1:], minlength=group_of.max() + 1)
    isolated = members[group_of] == 1
    height, width = binary.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    at_border = (x == 0) | (y == 0) | (x + widths >= width) | (y + heights >= height)
    at_border[0] = False
    for k in np.flatnonzero(tiny & isolated & ~at_border):
        isolated[k] = not (ends_text(binary, stats[k], dpi) or opens_line(binary, stats[k], dpi))
    if dust and tiny.sum() >= MIN_DOTS:
        isolated |= tiny & (stats[:, cv2.CC_STAT_AREA] < DUST_SHARE * np.median(stats[tiny, cv2.CC_STAT_AREA]))
    return (tiny & isolated) | at_border


def ends_text(binary: np.ndarray, stat: np.ndarray, dpi: float) -> bool:
    """Whether a dot stands on a text line after letters, like a full stop after a closing quote ("nghiệp”."):
    ink within PUNCTUATION_REACH to its left both on its own rows and higher up."""
    x, y, _, height = (int(v) for v in stat[:4])
    left = max(0, x - round(dpi / 300 * PUNCTUATION_REACH_300DPI))
    body_top = max(0, y + height - LETTER_BODY * height)
    return bool(binary[y : y + height, left:x].any() and binary[body_top : max(body_top, y - height), left:x].any())


def opens_line(binary: np.ndarray, stat: np.ndarray, dpi: float) -> bool:
    """Whether a blob is a footnote number opening a line ("⁷ Hội chợ"): as tall as a small digit, with ink
    within PUNCTUATION_REACH to its right both on its own rows and further down (it is raised)."""
    x, y, width, height = (int(v) for v in stat[:4])
    if height < dpi / 300 * FOOTNOTE_MARK_300DPI:
        return False
    start, stop = x + width, x + width + round(dpi / 300 * PUNCTUATION_REACH_300DPI)
    return bool(binary[y : y + height, start:stop].any() and binary[y + height : y + 2 * height, start:stop].any())


def find_small_dots(stats: np.ndarray, dpi: float) -> np.ndarray:
    """Per connected component (row of `stats`; 0 is the background): whether it is a small roundish dot.

    Dashes and rules are elongated, so they are never dots.
    """
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    roundish = np.maximum(widths, heights) < 2 * np.minimum(widths, heights)
    dots = (stats[:, cv2.CC_STAT_AREA] <= (dpi / 300) ** 2 * MAX_SPECK_AREA_300DPI) & roundish
    dots[0] = False
    return dots


def count_specks(binary: np.ndarray, dpi: float) -> int:
    """How many isolated dots the ink mask holds."""
    return int(find_specks(binary, dpi).sum())


def remove_specks(grey: np.ndarray, dpi: float, dust: bool = False) -> np.ndarray:
    """Paint isolated dots and border blobs white; with `dust`, also dust beside text (see `find_specks`).

    Only on a page of solid ink: on a faded copy, broken strokes leave fragments as small as dust.
    """
    binary = binarise_otsu(grey)
    _, labels = cv2.connectedComponents(binary, connectivity=8)
    specks = find_specks(binary, dpi, dust)
    out = grey.copy()
    out[specks[labels]] = 255
    return out


def find_dark_specks(grey: np.ndarray, below: int, dpi: float) -> np.ndarray:
    """Mask of the small dots darker than `below` and their blurred rims (on a faded page no text is so dark)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats((grey < below).astype(np.uint8), connectivity=8)
    rim = max(3, round(dpi / 300 * 7)) | 1
    return cv2.dilate(find_small_dots(stats, dpi)[labels].astype(np.uint8), np.ones((rim, rim), np.uint8)) > 0


def estimate_skew(binary: np.ndarray, dpi: float) -> float:
    """Angle (degrees, counter-clockwise) that makes text lines horizontal, by projection-profile sharpness."""
    scale = 75 / dpi
    small = cv2.resize(binary * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    angles = np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.25)
    best = max(angles, key=lambda a: profile_sharpness(small, a))
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, SKEW_STEP_DEG)
    return float(max(fine, key=lambda a: profile_sharpness(small, a)))


def profile_sharpness(image: np.ndarray, angle: float) -> float:
    """Variance of the row sums after rotating by `angle`: high when text lines run horizontally."""
    return float(np.var(rotate_image(image, angle, fill=0).sum(axis=1, dtype=np.float64)))


def rotate_image(image: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    """Rotate about the centre by `angle` degrees counter-clockwise, keeping the size."""
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=fill)
