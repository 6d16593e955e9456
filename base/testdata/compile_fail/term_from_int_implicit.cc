// A Term is never built implicitly from a bare integer.
// EXPECT-ERROR: conversion from 'int' to non-scalar type 'raftsim::Term'
#include "base/strong_id.h"

namespace raftsim {
void Test() { Term term = 5; (void)term; }
}  // namespace raftsim
