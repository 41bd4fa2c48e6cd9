/*
 * Tactile symbols (see tactile.h). Each symbol is drawn in a unit square
 * from -1 to 1 (y downwards) and scaled so that the raised lines, with
 * their width, stay inside the requested square. The shapes are kept few
 * and far apart, because a fingertip tells apart a disc, a triangle, a
 * cross and a bar, not fine detail:
 *
 *   select      disc (ADA: "Enter or Proceed key: raised circle")
 *   up/down/left/right  solid arrows
 *   back        X (ADA: "Cancel key: raised letter ex")
 *   delete      line arrow to the left with a bar (ADA: "Clear or Correct
 *               key: raised left arrow"; a line, unlike the solid "left")
 *   volume-up   + (ADA: "Add Value key: raised plus sign")
 *   volume-down - (ADA: "Decrease Value key: raised minus sign")
 *   help ?   repeat: circular arrow   faster >>   slower <<
 *   language: globe   pause: two bars   curtain: screen half covered
 *   theme: circle half filled   text-size: letter A
 */
#include "ballot/tactile.h"

#include <math.h>
#include <string.h>

/* How finely arcs are cut: segments in a full turn. */
#define ARC_STEPS 32

struct build {
    struct tactile_symbol *s;
    double scale; /* mm per unit */
};

static struct tactile_path *
path_new(struct build *b, int fill, int closed)
{
    struct tactile_path *p = &b->s->paths[b->s->n_paths++];
    p->fill = fill;
    p->closed = closed;
    p->n = 0;
    return p;
}

static void
pt(struct build *b, struct tactile_path *p, double x, double y)
{
    p->x[p->n] = b->s->cx + x * b->scale;
    p->y[p->n] = b->s->cy + y * b->scale;
    p->n++;
}

/* A polygon or a line through the N unit points XY (x, y pairs). */
static void
poly(struct build *b, int fill, int closed, const double *xy, size_t n)
{
    struct tactile_path *p = path_new(b, fill, closed);
    for (size_t i = 0; i < n; i++)
        pt(b, p, xy[2 * i], xy[2 * i + 1]);
}

/* An arc of an ellipse around (CX, CY) with radii RX, RY from angle A0 to
 * A1 (degrees, clockwise on the page), added to P. */
static void
arc(struct build *b, struct tactile_path *p, double cx, double cy, double rx,
    double ry, double a0, double a1)
{
    int steps = (int)ceil(fabs(a1 - a0) / (360.0 / ARC_STEPS));
    if (steps < 1)
        steps = 1;
    for (int i = 0; i <= steps; i++) {
        double t = (a0 + (a1 - a0) * i / steps) * M_PI / 180;
        pt(b, p, cx + rx * cos(t), cy + ry * sin(t));
    }
}

static void
line(struct build *b, double x0, double y0, double x1, double y1)
{
    double xy[] = {x0, y0, x1, y1};
    poly(b, 0, 0, xy, 2);
}

/* The solid arrow pointing up, turned by QUARTERS quarter turns
 * clockwise. */
static void
arrow(struct build *b, int quarters)
{
    static const double up[] = {0, -1,    0.85, -0.1,  0.32, -0.1,  0.32,
                                1, -0.32, 1,    -0.32, -0.1, -0.85, -0.1};
    struct tactile_path *p = path_new(b, 1, 1);
    for (size_t i = 0; i < sizeof up / sizeof up[0] / 2; i++) {
        double x = up[2 * i], y = up[2 * i + 1];
        for (int q = 0; q < quarters; q++) {
            double t = x;
            x = -y;
            y = t;
        }
        pt(b, p, x, y);
    }
}

/* Two chevrons pointing right (DIR 1) or left (DIR -1). */
static void
chevrons(struct build *b, int dir)
{
    for (int k = 0; k < 2; k++) {
        double x0 = dir * (-0.75 + 0.75 * k);
        double xy[] = {x0, -0.7, x0 + dir * 0.6, 0, x0, 0.7};
        poly(b, 0, 0, xy, 3);
    }
}

int
tactile_symbol(enum action action, double cx, double cy, double size,
               struct tactile_symbol *out)
{
    struct tactile_symbol s = {.action = action,
                               .cx = cx,
                               .cy = cy,
                               .size = size};
    /* Lines are centred on the points: keep half a line inside. */
    struct build b = {&s, (size - TACTILE_LINE_MM) / 2};
    struct tactile_path *p;
    switch (action) {
    case ACTION_SELECT:
        s.shape = "circle";
        p = path_new(&b, 1, 1);
        arc(&b, p, 0, 0, 0.8, 0.8, 0, 360 - 360.0 / ARC_STEPS);
        break;
    case ACTION_UP:
        s.shape = "arrow-up";
        arrow(&b, 0);
        break;
    case ACTION_RIGHT:
        s.shape = "arrow-right";
        arrow(&b, 1);
        break;
    case ACTION_DOWN:
        s.shape = "arrow-down";
        arrow(&b, 2);
        break;
    case ACTION_LEFT:
        s.shape = "arrow-left";
        arrow(&b, 3);
        break;
    case ACTION_BACK:
        s.shape = "x";
        line(&b, -0.8, -0.8, 0.8, 0.8);
        line(&b, 0.8, -0.8, -0.8, 0.8);
        break;
    case ACTION_DELETE: {
        s.shape = "line-arrow-left";
        line(&b, -0.85, 0, 0.8, 0);
        double head[] = {-0.25, -0.6, -0.85, 0, -0.25, 0.6};
        poly(&b, 0, 0, head, 3);
        line(&b, 0.8, -0.6, 0.8, 0.6);
        break;
    }
    case ACTION_VOLUME_UP:
        s.shape = "plus";
        line(&b, -0.85, 0, 0.85, 0);
        line(&b, 0, -0.85, 0, 0.85);
        break;
    case ACTION_VOLUME_DOWN:
        s.shape = "minus";
        line(&b, -0.85, 0, 0.85, 0);
        break;
    case ACTION_HELP:
        s.shape = "question-mark";
        p = path_new(&b, 0, 0);
        arc(&b, p, 0, -0.4, 0.45, 0.45, 180, 405);
        pt(&b, p, 0, 0.15);
        pt(&b, p, 0, 0.4);
        p = path_new(&b, 1, 1);
        arc(&b, p, 0, 0.8, 0.17, 0.17, 0, 360 - 360.0 / ARC_STEPS);
        break;
    case ACTION_REPEAT: {
        s.shape = "circular-arrow";
        p = path_new(&b, 0, 0);
        arc(&b, p, 0, 0.1, 0.7, 0.7, -60, 225);
        /* The head at the end, along the turn. */
        double t = 225 * M_PI / 180;
        double ex = 0.7 * cos(t), ey = 0.1 + 0.7 * sin(t);
        double tx = -sin(t), ty = cos(t), nx = cos(t), ny = sin(t);
        double head[] = {ex + 0.45 * tx, ey + 0.45 * ty, ex + 0.35 * nx,
                         ey + 0.35 * ny, ex - 0.35 * nx, ey - 0.35 * ny};
        poly(&b, 1, 1, head, 3);
        break;
    }
    case ACTION_FASTER:
        s.shape = "double-chevron-right";
        chevrons(&b, 1);
        break;
    case ACTION_SLOWER:
        s.shape = "double-chevron-left";
        chevrons(&b, -1);
        break;
    case ACTION_LANGUAGE:
        s.shape = "globe";
        p = path_new(&b, 0, 1);
        arc(&b, p, 0, 0, 0.85, 0.85, 0, 360 - 360.0 / ARC_STEPS);
        p = path_new(&b, 0, 1);
        arc(&b, p, 0, 0, 0.35, 0.85, 0, 360 - 360.0 / ARC_STEPS);
        line(&b, -0.85, 0, 0.85, 0);
        break;
    case ACTION_PAUSE: {
        s.shape = "two-bars";
        double l[] = {-0.65, -0.75, -0.2, -0.75, -0.2, 0.75, -0.65, 0.75};
        double r[] = {0.2, -0.75, 0.65, -0.75, 0.65, 0.75, 0.2, 0.75};
        poly(&b, 1, 1, l, 4);
        poly(&b, 1, 1, r, 4);
        break;
    }
    case ACTION_CURTAIN: {
        s.shape = "half-covered-square";
        double frame[] = {-0.85, -0.85, 0.85, -0.85, 0.85, 0.85, -0.85, 0.85};
        double cover[] = {-0.85, -0.85, 0.85, -0.85, 0.85, 0, -0.85, 0};
        poly(&b, 0, 1, frame, 4);
        poly(&b, 1, 1, cover, 4);
        break;
    }
    case ACTION_THEME:
        s.shape = "half-filled-circle";
        p = path_new(&b, 0, 1);
        arc(&b, p, 0, 0, 0.85, 0.85, 0, 360 - 360.0 / ARC_STEPS);
        p = path_new(&b, 1, 1);
        arc(&b, p, 0, 0, 0.85, 0.85, -90, 90);
        break;
    case ACTION_TEXT_SIZE: {
        s.shape = "letter-a";
        double a[] = {-0.75, 0.85, 0, -0.85, 0.75, 0.85};
        poly(&b, 0, 0, a, 3);
        line(&b, -0.4, 0.3, 0.4, 0.3);
        break;
    }
    default:
        /* none, digit, char, staff: no function; and an action added
         * later has no symbol until one is drawn here. */
        return -1;
    }
    *out = s;
    return 0;
}
