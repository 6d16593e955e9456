// Formatted: the format self-test must accept this file.
#include <vector>

namespace sample {

int Sum(const std::vector<int>& v) {
  int s = 0;
  for (int x : v) s += x;
  return s;
}

}  // namespace sample
