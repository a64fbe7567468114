/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _PROXY_PRIV_H_
#define _PROXY_PRIV_H_

/* Text formatting for what the proxy writes into messages: lib/edit's se_fmt.h. */

#include <arpa/inet.h>

#include "se_fmt.h"

#endif /* _PROXY_PRIV_H_ */
